"""Starts moto's server with the Glue calls it lacks added, behaving as AWS Glue documents them,
and Kinesis CreateStream applying its Tags as AWS does.

moto 5.1.22 (and 5.2.x) answers UpdateConnection, DeleteConnection, UpdateCrawler and UpdateJob
with HTTP 500 "not yet implemented", and GetConnection leaves out ConnectionType and
MatchCriteria. labform's aws_glue_connection, aws_glue_crawler and aws_glue_job update and delete
through exactly those calls, so this wrapper adds them to moto's Glue response class, on moto's
own backend models, before the server starts:

- UpdateConnection replaces the whole definition (ConnectionInput), tags and ARN kept;
  DeleteConnection removes it (EntityNotFoundException when absent).
- UpdateCrawler changes the fields the request carries and keeps the others.
- UpdateJob overwrites the whole definition with JobUpdate ("the previous job definition is
  completely overwritten"), so a field left out goes back to its default.

moto's CreateStream drops its Tags parameter, which AWS applies in the same call: labform writes
its per-instance mark there, so that a run killed right after the create finds and adopts the
stream. Without them a kill between CreateStream and the tagging that follows it left a stream
that could not be shown to be labform's (a flaky kill campaign); the wrapper applies them.

Usage: python moto_server.py -H 127.0.0.1 -p N   (the arguments of moto_server)
"""

import sys

from moto.core.responses import ActionResult, EmptyResult
from moto.glue import models
from moto.glue.exceptions import EntityNotFoundException
from moto.glue.responses import GlueResponse
from moto.kinesis.responses import KinesisResponse
from moto.server import main
from moto.core.utils import utcnow


def _connection(backend, name):
    connection = backend.connections.get(name)
    if connection is None:
        raise EntityNotFoundException(f"Connection {name} not found")
    return connection


def update_connection(self):
    backend = self.glue_backend
    name = self._get_param("Name")
    old = _connection(backend, name)
    connection_input = self._get_param("ConnectionInput")
    new = models.FakeConnection(backend, old.catalog_id, connection_input, {})
    new.created_time = old.created_time
    # FakeConnection tags its ARN on creation; a renamed connection carries the old tags over.
    if new.arn != old.arn:
        backend.tag_resource(new.arn, backend.get_tags(old.arn))
        backend.untag_resource(old.arn, list(backend.get_tags(old.arn)))
    del backend.connections[name]
    backend.connections[new.name] = new
    return EmptyResult()


def delete_connection(self):
    backend = self.glue_backend
    name = self._get_param("ConnectionName")
    connection = _connection(backend, name)
    backend.untag_resource(connection.arn, list(backend.get_tags(connection.arn)))
    del backend.connections[name]
    return EmptyResult()


_CRAWLER_FIELDS = {
    "Role": "role",
    "DatabaseName": "database_name",
    "Description": "description",
    "Targets": "targets",
    "Schedule": "schedule",
    "Classifiers": "classifiers",
    "TablePrefix": "table_prefix",
    "SchemaChangePolicy": "schema_change_policy",
    "RecrawlPolicy": "recrawl_policy",
    "LineageConfiguration": "lineage_configuration",
    "Configuration": "configuration",
    "CrawlerSecurityConfiguration": "crawler_security_configuration",
}


def update_crawler(self):
    crawler = self.glue_backend.get_crawler(self._get_param("Name"))
    for param, attribute in _CRAWLER_FIELDS.items():
        if param in self.parameters:
            setattr(crawler, attribute, self.parameters[param])
    crawler.last_updated = utcnow()
    crawler.version += 1
    return EmptyResult()


_JOB_FIELDS = {
    "Description": ("description", None),
    "LogUri": ("log_uri", None),
    "Role": ("role", None),
    "ExecutionProperty": ("execution_property", {}),
    "Command": ("command", None),
    "DefaultArguments": ("default_arguments", {}),
    "NonOverridableArguments": ("non_overridable_arguments", None),
    "Connections": ("connections", None),
    "MaxRetries": ("max_retries", None),
    "AllocatedCapacity": ("allocated_capacity", None),
    "Timeout": ("timeout", None),
    "MaxCapacity": ("max_capacity", None),
    "SecurityConfiguration": ("security_configuration", None),
    "NotificationProperty": ("notification_property", None),
    "GlueVersion": ("glue_version", None),
    "NumberOfWorkers": ("number_of_workers", None),
    "WorkerType": ("worker_type", None),
    "CodeGenConfigurationNodes": ("code_gen_configuration_nodes", None),
    "ExecutionClass": ("execution_class", "STANDARD"),
    "SourceControlDetails": ("source_control_details", None),
}


def update_job(self):
    job = self.glue_backend.get_job(self._get_param("JobName"))
    update = self._get_param("JobUpdate") or {}
    for param, (attribute, default) in _JOB_FIELDS.items():
        setattr(job, attribute, update.get(param, default))
    job.last_modified_on = utcnow()
    return ActionResult({"JobName": job.name})


_original_connection_as_dict = models.FakeConnection.as_dict


def connection_as_dict(self):
    """GetConnection as AWS answers it: the type and match criteria at the top level."""
    out = _original_connection_as_dict(self)
    out["ConnectionType"] = self.connection_input.get("ConnectionType")
    out["MatchCriteria"] = self.connection_input.get("MatchCriteria", [])
    return out


_original_create_stream = KinesisResponse.create_stream


def create_stream(self):
    """CreateStream with its Tags applied, as AWS applies them."""
    out = _original_create_stream(self)
    tags = self._get_param("Tags")
    if tags:
        self.kinesis_backend.add_tags_to_stream(None, self._get_param("StreamName"), tags)
    return out


KinesisResponse.create_stream = create_stream
GlueResponse.update_connection = update_connection
GlueResponse.delete_connection = delete_connection
GlueResponse.update_crawler = update_crawler
GlueResponse.update_job = update_job
models.FakeConnection.as_dict = connection_as_dict

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
