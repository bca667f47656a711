"""Drives the official Kubernetes Python client for Workplane's client tests.

Reads commands as JSON, one per line on stdin (a line may also hold a JSON
list of commands, run in order), and prints JSON lines: one answer per
command ({"id", "result"} or {"id", "error"}) and one line per watch event
({"watch", "type", "object"}, then {"watch", "end"}). Each command is made
the way a user of the client writes it: typed APIs (CoreV1Api, V1* models)
for core kinds, CustomObjectsApi for custom kinds and Workloads,
kubernetes.watch.Watch().stream(...) for watches, and
kubernetes.config.load_kube_config(config_file=...) for credentials.

Usage: python-driver.py --kubeconfig FILE
"""

import argparse
import json
import sys
import threading
import traceback

import kubernetes
from kubernetes import client, config, dynamic, watch
from kubernetes.client.rest import ApiException

_out = threading.Lock()


def emit(message):
    line = json.dumps(message)
    with _out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


class _Data:
    """What ApiClient.deserialize reads: a response-like object with .data."""

    def __init__(self, data):
        self.data = data


PATCH_TYPES = {
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
    "json": "application/json-patch+json",
}


class Driver:
    def __init__(self, kubeconfig):
        config.load_kube_config(config_file=kubeconfig)
        self.api = client.ApiClient()
        self.core = client.CoreV1Api(self.api)
        self.custom = client.CustomObjectsApi(self.api)
        # The generated client picks a patch content type from the body's shape;
        # a user who wants a given one sets the header, on a client of its own.
        self.patchers = {}
        for name, media in PATCH_TYPES.items():
            api = client.ApiClient()
            api.set_default_header("Content-Type", media)
            self.patchers[name] = (client.CoreV1Api(api), client.CustomObjectsApi(api))
        self.watches = {}

    # -- helpers ---------------------------------------------------------

    def plain(self, obj):
        """A model (or dict) as JSON: the typed model's fields, camelCase, as the client serializes it."""
        return self.api.sanitize_for_serialization(obj)

    def model(self, kind, body):
        """A dict turned into the client's model class (V1ConfigMap...), as typed users build objects."""
        return self.api.deserialize(_Data(json.dumps(body)), "V1" + kind["kind"])

    @staticmethod
    def typed_name(verb, kind):
        scope = "namespaced_" if kind["namespaced"] else ""
        return "%s_%s%s" % (verb, scope, kind["typed"]["py"])

    def typed(self, api, verb, kind, ns, *args, **kwargs):
        """Typed signatures: list/create take (namespace, ...), the others (name, namespace, ...)."""
        method = getattr(api, self.typed_name(verb, kind) + "_with_http_info")
        if kind["namespaced"]:
            args = (ns,) + args if verb in ("list", "create") else (args[0], ns) + args[1:]
        return method(*args, **kwargs)

    @staticmethod
    def custom_args(kind, ns):
        if kind["namespaced"]:
            return (kind["group"], kind["version"], ns, kind["plural"])
        return (kind["group"], kind["version"], kind["plural"])

    def custom_call(self, api, verb, kind, ns, *args, **kwargs):
        scope = "namespaced" if kind["namespaced"] else "cluster"
        method = getattr(api, "%s_%s_custom_object_with_http_info" % (verb, scope))
        return method(*(self.custom_args(kind, ns) + args), **kwargs)

    @staticmethod
    def answer(triple):
        data, code, _headers = triple
        return data, code

    # -- commands --------------------------------------------------------

    def list(self, c):
        kind, ns, opts = c["kind"], c.get("namespace"), c.get("options") or {}
        kwargs = {}
        for key, arg in (("limit", "limit"), ("continue", "_continue"), ("resourceVersion", "resource_version"), ("labelSelector", "label_selector")):
            if opts.get(key) is not None:
                kwargs[arg] = opts[key]
        if kind.get("typed"):
            data, _ = self.answer(self.typed(self.core, "list", kind, ns, **kwargs))
        else:
            data, _ = self.answer(self.custom_call(self.custom, "list", kind, ns, **kwargs))
        return self.plain(data)

    def create(self, c):
        kind, ns, body = c["kind"], c.get("namespace"), c["body"]
        if kind.get("typed"):
            data, code = self.answer(self.typed(self.core, "create", kind, ns, self.model(kind, body)))
        else:
            data, code = self.answer(self.custom_call(self.custom, "create", kind, ns, body))
        return {"code": code, "body": self.plain(data)}

    def get(self, c):
        kind, ns, name = c["kind"], c.get("namespace"), c["name"]
        if kind.get("typed"):
            data, _ = self.answer(self.typed(self.core, "read", kind, ns, name))
        else:
            data, _ = self.answer(self.custom_call(self.custom, "get", kind, ns, name))
        return self.plain(data)

    def patch(self, c):
        kind, ns, name, body = c["kind"], c.get("namespace"), c["name"], c["body"]
        core, custom = self.patchers[c["patchType"]]
        if kind.get("typed"):
            data, _ = self.answer(self.typed(core, "patch", kind, ns, name, body))
        else:
            data, _ = self.answer(self.custom_call(custom, "patch", kind, ns, name, body))
        return self.plain(data)

    def replace(self, c):
        kind, ns, name, body = c["kind"], c.get("namespace"), c["name"], c["body"]
        if kind.get("typed"):
            data, _ = self.answer(self.typed(self.core, "replace", kind, ns, name, self.model(kind, body)))
        else:
            data, _ = self.answer(self.custom_call(self.custom, "replace", kind, ns, name, body))
        return self.plain(data)

    def delete(self, c):
        kind, ns, name = c["kind"], c.get("namespace"), c["name"]
        if kind.get("typed"):
            data, code = self.answer(self.typed(self.core, "delete", kind, ns, name))
        else:
            data, code = self.answer(self.custom_call(self.custom, "delete", kind, ns, name))
        return {"code": code, "body": self.plain(data)}

    def dynamic_list(self, c):
        """The dynamic client finds the resource through discovery, then lists it."""
        kind, ns = c["kind"], c.get("namespace")
        api_version = "%s/%s" % (kind["group"], kind["version"]) if kind["group"] else kind["version"]
        resource = dynamic.DynamicClient(self.api).resources.get(api_version=api_version, kind=kind["kind"])
        return resource.get(namespace=ns).to_dict()

    def watch(self, c):
        """Starts Watch().stream(list_...) in a thread; events are printed as they come."""
        kind, ns, wid = c["kind"], c.get("namespace"), c["watch"]
        kwargs = {"allow_watch_bookmarks": True}
        if c.get("resourceVersion") is not None:
            kwargs["resource_version"] = c["resourceVersion"]
        if c.get("timeoutSeconds") is not None:
            kwargs["timeout_seconds"] = c["timeoutSeconds"]
        if kind.get("typed"):
            func = getattr(self.core, self.typed_name("list", kind))
            args = (ns,) if kind["namespaced"] else ()
        else:
            scope = "namespaced" if kind["namespaced"] else "cluster"
            func = getattr(self.custom, "list_%s_custom_object" % scope)
            args = self.custom_args(kind, ns)
        w = watch.Watch()
        self.watches[wid] = w

        def run():
            try:
                for event in w.stream(func, *args, **kwargs):
                    obj = event["object"]
                    emit({"watch": wid, "type": event["type"], "object": self.plain(obj)})
                emit({"watch": wid, "end": True})
            except ApiException as e:
                emit({"watch": wid, "end": True, "error": {"code": e.status, "reason": e.reason, "message": str(e)}})
            except Exception as e:  # noqa: BLE001 - any failure is reported, not swallowed
                emit({"watch": wid, "end": True, "error": {"exception": type(e).__name__, "message": str(e)}})

        threading.Thread(target=run, daemon=True).start()
        return {"started": wid}

    def stop(self, c):
        """Watch.stop() takes effect at the next event; the test ends watches through timeoutSeconds."""
        w = self.watches.get(c["watch"])
        if w:
            w.stop()
        return {}


def error_of(e):
    if isinstance(e, ApiException):
        try:
            body = json.loads(e.body) if e.body else None
        except ValueError:
            body = e.body
        return {"code": e.status, "reason": (body or {}).get("reason", e.reason) if isinstance(body, dict) else e.reason, "message": (body or {}).get("message", str(e)) if isinstance(body, dict) else str(e), "body": body}
    return {"exception": type(e).__name__, "message": str(e), "traceback": traceback.format_exc()}


def run(driver, command):
    op = command.get("op")
    handler = getattr(driver, op.replace("-", "_"), None) if isinstance(op, str) else None
    if handler is None or op.startswith("_"):
        emit({"id": command.get("id"), "error": {"exception": "UnknownCommand", "message": "unknown op %r" % op}})
        return
    try:
        emit({"id": command.get("id"), "result": handler(command)})
    except Exception as e:  # noqa: BLE001 - every failure becomes an answer
        emit({"id": command.get("id"), "error": error_of(e)})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubeconfig", required=True)
    args = parser.parse_args()
    try:
        driver = Driver(args.kubeconfig)
    except Exception as e:  # noqa: BLE001
        emit({"fatal": "%s: %s" % (type(e).__name__, e)})
        return 1
    emit({"ready": True, "client": kubernetes.__version__})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        parsed = json.loads(line)
        for command in parsed if isinstance(parsed, list) else [parsed]:
            run(driver, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
