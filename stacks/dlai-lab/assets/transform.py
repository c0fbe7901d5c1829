"""Firehose transformation: every record, decoded, tagged with its arrival, newline-delimited."""
import base64
import json
import os
import time


def lambda_handler(event, context):
    prefix = os.environ.get("TARGET_PREFIX", "events")
    out = []
    for record in event["records"]:
        payload = json.loads(base64.b64decode(record["data"]))
        payload["received_at"] = int(time.time())
        payload["stream"] = prefix
        data = base64.b64encode((json.dumps(payload) + "\n").encode()).decode()
        out.append({"recordId": record["recordId"], "result": "Ok", "data": data})
    return {"records": out}
