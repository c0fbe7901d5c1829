"""The lab's ETL job: read the source tables through the Glue connection, write the lake."""
import sys

from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext

args = getResolvedOptions(sys.argv, ["JOB_NAME", "glue_connection", "target_path"])
glue = GlueContext(SparkContext.getOrCreate())
job = Job(glue)
job.init(args["JOB_NAME"], args)
for table in ["customers", "orders", "payments"]:
    frame = glue.create_dynamic_frame.from_options(
        connection_type="mysql",
        connection_options={
            "useConnectionProperties": "true",
            "connectionName": args["glue_connection"],
            "dbtable": table,
        },
    )
    glue.write_dynamic_frame.from_options(
        frame=frame,
        connection_type="s3",
        connection_options={"path": f"{args['target_path']}/{table}/"},
        format="parquet",
    )
job.commit()
