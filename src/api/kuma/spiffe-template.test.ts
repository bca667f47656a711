// SPIFFE ID templates: the Go-template subset, its errors and rendering.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_PATH_TEMPLATE,
  DEFAULT_POD_PATH_TEMPLATE,
  DEFAULT_TRUST_DOMAIN_TEMPLATE,
  parseSpiffeTemplate,
  PATH_VARIABLES,
  renderSpiffeTemplate,
  SpiffeTemplateError,
  templateUsesWorkload,
  TRUST_DOMAIN_VARIABLES,
} from './spiffe-template.js';

const parseError = (text: string, allowed = PATH_VARIABLES) => {
  try {
    parseSpiffeTemplate(text, allowed);
  } catch (e) {
    assert.ok(e instanceof SpiffeTemplateError);
    return e.message;
  }
  return assert.fail(`${text} parsed`);
};

describe('spiffe templates', () => {
  it('render the default trust domain', () => {
    const t = parseSpiffeTemplate(DEFAULT_TRUST_DOMAIN_TEMPLATE, TRUST_DOMAIN_VARIABLES);
    assert.deepEqual(t.parts, [
      { kind: 'var', name: 'Mesh' },
      { kind: 'text', text: '.' },
      { kind: 'var', name: 'Zone' },
      { kind: 'text', text: '.mesh.local' },
    ]);
    assert.equal(renderSpiffeTemplate(t, { Mesh: 'default', Zone: 'zone-1' }), 'default.zone-1.mesh.local');
  });

  it('render the default paths', () => {
    assert.equal(renderSpiffeTemplate(DEFAULT_PATH_TEMPLATE, { Workload: 'demo-workload' }), '/workload/demo-workload');
    assert.equal(renderSpiffeTemplate(DEFAULT_POD_PATH_TEMPLATE, { Namespace: 'shop', ServiceAccount: 'web' }), '/ns/shop/sa/web');
  });

  it('read labels and fail on a missing one', () => {
    assert.equal(renderSpiffeTemplate('/app/{{ label "app" }}', {}, { app: 'demo' }), '/app/demo');
    assert.equal(renderSpiffeTemplate('{{label `app`}}', {}, { app: 'raw' }), 'raw');
    assert.throws(() => renderSpiffeTemplate('{{ label "app" }}', {}, {}), { message: 'label "app" not found' });
    assert.throws(() => renderSpiffeTemplate('/w/{{ .Workload }}', {}), { message: 'no value for .Workload' });
    assert.equal(renderSpiffeTemplate('/w/{{ .Workload }}', { Workload: '' }), '/w/');
  });

  it('accept whitespace variants, trim markers and comments', () => {
    const vars = { Workload: 'w', Namespace: 'n' };
    assert.equal(renderSpiffeTemplate('/{{.Workload}}/{{   .Namespace\t}}', vars), '/w/n');
    assert.equal(renderSpiffeTemplate('/a  {{- .Workload -}}  /b', vars), '/aw/b');
    assert.equal(renderSpiffeTemplate('/a{{/* note */}}/{{ .Workload }}', vars), '/a/w');
    assert.equal(renderSpiffeTemplate('plain', {}), 'plain');
    assert.equal(renderSpiffeTemplate('/a}}b', {}), '/a}}b');
  });

  it('report Go-style parse errors', () => {
    assert.equal(parseError('/x/{{ .Workload'), 'template: :1: unclosed action');
    assert.equal(parseError('/x/{{ }}'), 'template: :1: missing value for command');
    assert.equal(parseError('{{ printf "%s" .Workload }}'), 'template: :1: function "printf" not defined');
    assert.equal(parseError('{{ label }}'), 'template: :1: wrong number of args for label: want 1 got 0');
    assert.equal(parseError('{{ label "a" "b" }}'), 'template: :1: wrong number of args for label: want 1 got 2');
    assert.equal(parseError('{{ label .Workload }}'), 'template: :1: label wants a quoted label key, got .Workload');
    assert.equal(parseError('{{ label "app }}'), 'template: :1: unterminated quoted string');
    assert.equal(parseError('{{ .Workload | upper }}'), 'template: :1: pipelines ("|") are not supported');
    assert.equal(parseError('{{ if .Workload }}x{{ end }}'), 'template: :1: unsupported action "if"');
    assert.equal(parseError('{{/* open'), 'template: :1: unclosed comment');
    assert.equal(parseError('a\n{{ $x }}'), 'template: :2: unexpected "$x" in command');
    assert.equal(parseError('{{ .Workload.Name }}'), "template: :1: can't evaluate field Name of .Workload: template variables are strings");
  });

  it('refuse variables a template may not use', () => {
    assert.equal(parseError('{{ .Name }}'), "template: :1: can't evaluate field Name (available: .TrustDomain, .Namespace, .ServiceAccount, .Workload)");
    assert.equal(parseError('{{ .Workload }}.local', TRUST_DOMAIN_VARIABLES), "template: :1: can't evaluate field Workload (available: .Mesh, .Zone)");
    assert.doesNotThrow(() => parseSpiffeTemplate('{{ .Mesh }}/{{ .Workload }}'));
  });

  it('tell whether a template needs the workload', () => {
    assert.equal(templateUsesWorkload(DEFAULT_PATH_TEMPLATE), true);
    assert.equal(templateUsesWorkload('/w/{{ label "kuma.io/workload" }}'), true);
    assert.equal(templateUsesWorkload('/w/{{- label `kuma.io/workload` -}}'), true);
    assert.equal(templateUsesWorkload(DEFAULT_POD_PATH_TEMPLATE), false);
    assert.equal(templateUsesWorkload('/w/{{ label "app" }}'), false);
    assert.equal(templateUsesWorkload('/w/{{ .Workload'), false);
  });
});
