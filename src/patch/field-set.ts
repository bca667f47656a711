// A set of field paths, stored as a tree whose edges are path elements in
// Kubernetes' FieldsV1 spelling: `f:<field>`, `k:{"name":"nginx"}` (an item of
// a keyed list), `v:"x"` (an item of a set), `i:<n>` (an item by index).
// A node is a member when the path itself is in the set; FieldsV1 writes that
// as `{}` for leaves and as `".": {}` when the node also has children.
// Sets are immutable once built: operations return new sets that may share
// subtrees with their inputs.

import { isPlainObject } from '../api/object.js';

export class FieldSet {
  member = false;
  private kids: Map<string, FieldSet> | undefined;

  get children(): ReadonlyMap<string, FieldSet> {
    return this.kids ?? EMPTY_MAP;
  }

  get empty(): boolean {
    return !this.member && !this.kids?.size;
  }

  child(el: string): FieldSet | undefined {
    return this.kids?.get(el);
  }

  /** Returns the child for `el`, creating it; callers building a set drop it with `dropIfEmpty` if unused. */
  ensure(el: string): FieldSet {
    this.kids ??= new Map();
    let c = this.kids.get(el);
    if (!c) this.kids.set(el, (c = new FieldSet()));
    return c;
  }

  dropIfEmpty(el: string): void {
    const c = this.kids?.get(el);
    if (c && c.empty) this.kids!.delete(el);
  }

  insert(path: readonly string[]): void {
    let node: FieldSet = this;
    for (const el of path) node = node.ensure(el);
    node.member = true;
  }

  has(path: readonly string[]): boolean {
    let node: FieldSet | undefined = this;
    for (const el of path) if (!(node = node.child(el))) return false;
    return node.member;
  }

  union(o: FieldSet): FieldSet {
    if (o.empty) return this;
    if (this.empty) return o;
    const out = new FieldSet();
    out.member = this.member || o.member;
    for (const [el, c] of this.children) {
      const oc = o.child(el);
      out.setKid(el, oc ? c.union(oc) : c);
    }
    for (const [el, oc] of o.children) if (!this.child(el)) out.setKid(el, oc);
    return out;
  }

  difference(o: FieldSet): FieldSet {
    if (o.empty || this.empty) return this;
    const out = new FieldSet();
    out.member = this.member && !o.member;
    for (const [el, c] of this.children) {
      const oc = o.child(el);
      out.setKid(el, oc ? c.difference(oc) : c);
    }
    return out;
  }

  /**
   * This set less `o`, and less every path `o` still owns something under: removing
   * such a path would take those fields with it (as kube, which counts a struct field
   * as owned when a field inside it is).
   */
  removable(o: FieldSet): FieldSet {
    if (o.empty || this.empty) return this;
    const out = new FieldSet();
    out.member = this.member && !o.member && !o.kids?.size;
    for (const [el, c] of this.children) {
      const oc = o.child(el);
      out.setKid(el, oc ? c.removable(oc) : c);
    }
    return out;
  }

  intersection(o: FieldSet): FieldSet {
    const out = new FieldSet();
    out.member = this.member && o.member;
    const [small, big] = this.children.size <= o.children.size ? [this as FieldSet, o] : [o, this as FieldSet];
    for (const [el, c] of small.children) {
      const bc = big.child(el);
      if (bc) out.setKid(el, c.intersection(bc));
    }
    return out;
  }

  /** Member paths, children visited in sorted order. */
  *paths(prefix: string[] = []): Generator<string[]> {
    if (this.member) yield [...prefix];
    for (const el of [...this.children.keys()].sort()) {
      prefix.push(el);
      yield* this.kids!.get(el)!.paths(prefix);
      prefix.pop();
    }
  }

  toFieldsV1(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (!this.kids?.size) return out;
    if (this.member) out['.'] = {};
    const els = [...this.kids.keys()];
    if (els.length > 1) els.sort();
    for (const el of els) out[el] = this.kids.get(el)!.toFieldsV1();
    return out;
  }

  static fromFieldsV1(v: unknown): FieldSet {
    const node = new FieldSet();
    if (!isPlainObject(v)) return node;
    const keys = Object.keys(v);
    if (keys.length === 0) node.member = true;
    for (const k of keys) {
      if (k === '.') node.member = true;
      else node.setKid(k, FieldSet.fromFieldsV1(v[k]));
    }
    return node;
  }

  private setKid(el: string, c: FieldSet): void {
    if (c.empty) return;
    this.kids ??= new Map();
    this.kids.set(el, c);
  }
}

const EMPTY_MAP: ReadonlyMap<string, FieldSet> = new Map();

/** Element for a field of an object. */
export const fieldElement = (name: string) => `f:${name}`;

const render = (v: unknown) => JSON.stringify(v);

/** A path as kube prints it in conflicts: `.spec.containers[name="nginx"].image`, `.metadata.finalizers[="x"]`. */
export function pathString(path: readonly string[]): string {
  let s = '';
  for (const el of path) {
    const body = el.slice(2);
    switch (el.slice(0, 2)) {
      case 'f:':
        s += `.${body}`;
        break;
      case 'k:': {
        const fields = JSON.parse(body) as Record<string, unknown>;
        s += `[${Object.keys(fields).sort().map((k) => `${k}=${render(fields[k])}`).join(',')}]`;
        break;
      }
      case 'v:':
        s += `[=${render(JSON.parse(body))}]`;
        break;
      default:
        s += `[${body}]`;
    }
  }
  return s;
}
