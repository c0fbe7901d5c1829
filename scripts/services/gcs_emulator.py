"""Starts gcp-storage-emulator with its bucket handlers fixed to behave like Cloud Storage.

Out of the box the emulator drops location, storageClass, labels, lifecycle (and the other
writable fields) on buckets.insert, ignores ?prefix= on buckets.list and replaces labels on
PATCH. labform's tests need all three to behave as the real JSON API does, so this wrapper
replaces those three handlers before the server builds its routing table.

It also keeps noncurrent object versions in buckets with versioning on, as Cloud Storage does:
overwriting or deleting a live object keeps the old generation (metadata only), objects.list
with ?versions=true lists them, objects.delete with ?generation= removes one for good, and a
bucket that still holds one cannot be deleted (409).

Usage: python gcs_emulator.py start --host 127.0.0.1 --port N --in-memory
"""

import json
import sys
import threading
from http import HTTPStatus

from gcp_storage_emulator.exceptions import Conflict
from gcp_storage_emulator.handlers import buckets, objects
from gcp_storage_emulator.storage import Storage

_original_insert = buckets.insert
_original_patch_bucket = buckets._patch_bucket


def insert(request, response, storage, *args, **kwargs):
    """buckets.insert keeping every writable field the request carried."""
    data = request.data or {}
    name = data.get("name")
    if not name:
        return _original_insert(request, response, storage, *args, **kwargs)
    bucket = buckets.create_bucket(name, storage)
    if not bucket:
        response.status = HTTPStatus.CONFLICT
        return response.json(buckets.CONFLICT)
    for key in buckets._WRITABLE_BUCKET_FIELDS:
        if data.get(key) is not None:
            bucket[key] = data[key]
    if isinstance(bucket.get("location"), str):
        bucket["location"] = bucket["location"].upper()
    if data.get("iamConfiguration") is not None:
        bucket["iamConfiguration"] = data["iamConfiguration"]
    storage.create_bucket(name, bucket)
    response.json(bucket)


def ls(request, response, storage, *args, **kwargs):
    """buckets.list honouring ?prefix=."""
    prefix = (request.query.get("prefix") or [""])[0]
    items = [b for n, b in storage.buckets.items() if n.startswith(prefix)]
    response.json({"kind": "storage#buckets", "items": items})


def _merge(bucket, metadata):
    """PATCH semantics of the JSON API: labels merge (a null value removes the key), a null
    top-level field clears it, anything else replaces the field."""
    if not metadata:
        return bucket
    bucket["metageneration"] = str(int(bucket.get("metageneration", "1")) + 1)
    plain = {}
    for key, val in metadata.items():
        if key == "labels":
            if val is None:
                bucket.pop("labels", None)
                continue
            labels = dict(bucket.get("labels") or {})
            for k, v in val.items():
                if v is None:
                    labels.pop(k, None)
                else:
                    labels[k] = v
            bucket["labels"] = labels
        elif val is None:
            bucket.pop(key, None)
        elif key == "iamConfiguration":
            bucket[key] = val
        else:
            plain[key] = val
    return _original_patch_bucket(bucket, plain)


def patch(request, response, storage, *args, **kwargs):
    """buckets.patch merging labels as Cloud Storage does."""
    name = request.params.get("bucket_name")
    bucket = storage.buckets.get(name) if name else None
    if not bucket:
        response.status = HTTPStatus.NOT_FOUND
        return
    updated = _merge(bucket, request.data or {})
    storage.create_bucket(name, updated)
    response.json(updated)


# Noncurrent versions: {bucket: {(name, generation): object resource}}.
_NONCURRENT = {}
_original_create_file = Storage.create_file
_original_delete_file = Storage.delete_file
_original_delete_bucket = Storage.delete_bucket
_original_objects_ls = objects.ls
_original_objects_delete = objects.delete


def _versioned(storage, bucket_name):
    bucket = storage.buckets.get(bucket_name) or {}
    return bool((bucket.get("versioning") or {}).get("enabled"))


def _keep_noncurrent(storage, bucket_name, file_name):
    live = storage.objects.get(bucket_name, {}).get(file_name)
    if live is not None and _versioned(storage, bucket_name):
        old = dict(live)
        old["timeDeleted"] = old.get("updated")
        _NONCURRENT.setdefault(bucket_name, {})[(file_name, str(old.get("generation")))] = old


def create_file(self, bucket_name, file_name, content, file_obj, file_id=None):
    _keep_noncurrent(self, bucket_name, file_name)
    return _original_create_file(self, bucket_name, file_name, content, file_obj, file_id)


def delete_file(self, bucket_name, file_name, _permanent=False):
    if not _permanent:
        _keep_noncurrent(self, bucket_name, file_name)
    return _original_delete_file(self, bucket_name, file_name)


def delete_bucket(self, bucket_name):
    if _NONCURRENT.get(bucket_name):
        raise Conflict("The bucket you tried to delete is not empty (noncurrent versions)")
    result = _original_delete_bucket(self, bucket_name)
    _NONCURRENT.pop(bucket_name, None)
    return result


def objects_ls(request, response, storage, *args, **kwargs):
    """objects.list adding noncurrent versions when ?versions=true."""
    _original_objects_ls(request, response, storage, *args, **kwargs)
    versions = (request.query.get("versions") or ["false"])[0].lower() == "true"
    if not versions or response.status != HTTPStatus.OK:
        return
    prefix = (request.query.get("prefix") or [""])[0]
    bucket_name = request.params["bucket_name"]
    extra = [o for (n, _g), o in _NONCURRENT.get(bucket_name, {}).items() if n.startswith(prefix)]
    if extra:
        body = json.loads(response._content or "{}")
        body["items"] = list(body.get("items") or []) + extra
        response.json(body)


def objects_delete(request, response, storage, *args, **kwargs):
    """objects.delete: with ?generation= a version is removed for good."""
    bucket_name = request.params["bucket_name"]
    name = request.params["object_id"]
    generation = (request.query.get("generation") or [None])[0]
    if generation is None:
        return _original_objects_delete(request, response, storage, *args, **kwargs)
    if _NONCURRENT.get(bucket_name, {}).pop((name, str(generation)), None) is not None:
        response.status = HTTPStatus.NO_CONTENT
        return
    live = storage.objects.get(bucket_name, {}).get(name)
    if live is None or str(live.get("generation")) != str(generation):
        response.status = HTTPStatus.NOT_FOUND
        return
    try:
        storage.delete_file(bucket_name, name, _permanent=True)
    except Exception:  # noqa: BLE001  (NotFound and friends: report as not found)
        response.status = HTTPStatus.NOT_FOUND


_PRECONDITION_LOCK = threading.Lock()
_original_objects_insert = objects.insert


def _generation_mismatch(request, storage, bucket_name, name):
    """True when the request's ifGenerationMatch does not hold for the live object."""
    wanted = (request.query.get("ifGenerationMatch") or [None])[0]
    if wanted is None or name is None:
        return False
    live = storage.objects.get(bucket_name, {}).get(name)
    if str(wanted) == "0":
        return live is not None
    return live is None or str(live.get("generation")) != str(wanted)


def _condition_not_met(response):
    response.status = HTTPStatus.PRECONDITION_FAILED
    response.json(
        {
            "error": {
                "code": 412,
                "message": "At least one of the pre-conditions you specified did not hold.",
                "errors": [{"reason": "conditionNotMet", "domain": "global"}],
            }
        }
    )


def _insert_name(request):
    name = (request.query.get("name") or [None])[0]
    if name is None and isinstance(request.data, dict):
        name = request.data.get("name")
    return name


def objects_insert(request, response, storage, *args, **kwargs):
    """objects.insert honouring ifGenerationMatch."""
    with _PRECONDITION_LOCK:
        bucket_name = request.params.get("bucket_name")
        if _generation_mismatch(request, storage, bucket_name, _insert_name(request)):
            return _condition_not_met(response)
        return _original_objects_insert(request, response, storage, *args, **kwargs)


def objects_delete_checked(request, response, storage, *args, **kwargs):
    """objects.delete honouring ifGenerationMatch."""
    with _PRECONDITION_LOCK:
        bucket_name = request.params["bucket_name"]
        if _generation_mismatch(request, storage, bucket_name, request.params["object_id"]):
            return _condition_not_met(response)
        return objects_delete(request, response, storage, *args, **kwargs)


Storage.create_file = create_file
Storage.delete_file = delete_file
Storage.delete_bucket = delete_bucket

_REPLACED = {
    buckets.insert: insert,
    buckets.ls: ls,
    buckets.patch: patch,
    objects.ls: objects_ls,
    objects.delete: objects_delete_checked,
    objects.insert: objects_insert,
}
buckets.insert, buckets.ls, buckets.patch = insert, ls, patch
objects.ls, objects.delete, objects.insert = objects_ls, objects_delete_checked, objects_insert
buckets._patch_bucket = _merge

from gcp_storage_emulator import server  # noqa: E402  (must follow the patch)

# The routing table may already have been built from the old functions: swap them there too.
for _pattern, methods in server.HANDLERS:
    if isinstance(methods, dict):
        for method, handler in list(methods.items()):
            if handler in _REPLACED:
                methods[method] = _REPLACED[handler]

from gcp_storage_emulator.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
