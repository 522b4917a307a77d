#!/usr/bin/env python3
"""A read-only OCI distribution endpoint on loopback that serves one OCI image layout folder.

The .NET SDK's container support pulls its base image from a registry. Where no public registry can be
reached, `k8s/images/build` makes the base image itself and serves it with this, so that `dotnet publish
-t:PublishContainer` runs unchanged. It answers the pull side of the distribution spec only:
  GET /v2/                                  -> 200
  GET|HEAD /v2/<name>/manifests/<tag|digest>
  GET|HEAD /v2/<name>/blobs/<digest>
Tags come from the layout's index.json (annotation org.opencontainers.image.ref.name, "<name>:<tag>").

usage: oci-registry.py LAYOUT_DIR PORT_FILE   (binds 127.0.0.1 on a free port and writes the port to PORT_FILE)
"""
import http.server
import json
import os
import re
import sys

LAYOUT = sys.argv[1]
PATH = re.compile(r"^/v2/(?P<name>.+)/(?P<kind>manifests|blobs)/(?P<ref>[^/]+)$")
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")


def tags():
    with open(os.path.join(LAYOUT, "index.json")) as f:
        index = json.load(f)
    found = {}
    for m in index.get("manifests", []):
        ref = m.get("annotations", {}).get("org.opencontainers.image.ref.name")
        if ref:
            found[ref] = m
    return found


class Registry(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)

    def answer(self, with_body):
        if self.path.rstrip("/") == "/v2":
            return self.send(200, b"{}", "application/json", with_body=with_body)
        match = PATH.match(self.path.split("?")[0])
        if not match:
            return self.error(404, "NAME_UNKNOWN", "no such path")
        name, kind, ref = match["name"], match["kind"], match["ref"]
        media_type = "application/octet-stream"
        if kind == "manifests":
            if not DIGEST.match(ref):
                descriptor = tags().get(f"{name}:{ref}")
                if descriptor is None:
                    return self.error(404, "MANIFEST_UNKNOWN", f"{name}:{ref} is not in this layout")
                ref = descriptor["digest"]
                media_type = descriptor["mediaType"]
            else:
                media_type = "application/vnd.oci.image.manifest.v1+json"
        if not DIGEST.match(ref):
            return self.error(400, "DIGEST_INVALID", f"{ref} is not a sha256 digest")
        blob = os.path.join(LAYOUT, "blobs", "sha256", ref.split(":", 1)[1])
        if not os.path.isfile(blob):
            return self.error(404, "BLOB_UNKNOWN" if kind == "blobs" else "MANIFEST_UNKNOWN", f"{ref} is not in this layout")
        if kind == "manifests" and media_type == "application/vnd.oci.image.manifest.v1+json":
            with open(blob) as f:
                media_type = json.load(f).get("mediaType", media_type)
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(os.path.getsize(blob)))
        self.send_header("Docker-Content-Digest", ref)
        self.end_headers()
        if with_body:
            with open(blob, "rb") as f:
                while chunk := f.read(1 << 20):
                    self.wfile.write(chunk)

    def error(self, status, code, message):
        body = json.dumps({"errors": [{"code": code, "message": message}]}).encode()
        self.send(status, body, "application/json", with_body=True)

    def send(self, status, body, content_type, with_body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body and self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write("oci-registry: " + (format % args) + "\n")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Registry)
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.replace(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
