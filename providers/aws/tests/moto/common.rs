//! The test harness: the provider configured against moto, a resource's life cycle through the
//! sdk traits, and boto3 (a separate client) to check what really exists.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use labform_sdk::{
    ConfiguredProvider, DataSource, OpContext, PlannedChange, ProviderContext, ProviderError,
    Resource, Value, INSTANCE_KEY,
};

/// moto's endpoint. Fails the test at once, before any call, with instructions when the harness
/// did not start moto, and with the reason when it (or a per-service `AWS_ENDPOINT_URL_*`)
/// names anything but a 127.0.0.0/8 address: these tests never reach a real AWS account.
pub fn endpoint() -> String {
    let url = std::env::var("AWS_ENDPOINT_URL").unwrap_or_else(|_| {
        panic!("AWS_ENDPOINT_URL is not set: run `scripts/services/moto.sh start /tmp/run && . /tmp/run/moto.env` first")
    });
    for (name, value) in std::env::vars() {
        if name.starts_with("AWS_ENDPOINT_URL") {
            if let Err(why) = loopback_only(&value) {
                panic!("refusing to run: {name}={value} {why}: the AWS tests only talk to moto on 127.0.0.0/8");
            }
        }
    }
    url
}

/// `Ok` when `url` (`scheme://host[:port][/path]`) names an IPv4 address in 127.0.0.0/8.
pub fn loopback_only(url: &str) -> Result<(), String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    match host.parse::<std::net::Ipv4Addr>() {
        Ok(ip) if ip.is_loopback() => Ok(()),
        Ok(_) => Err(format!("names `{host}`, which is not on 127.0.0.0/8")),
        Err(_) => Err(format!(
            "names the host `{host}`, not a 127.0.0.0/8 address (names may resolve anywhere)"
        )),
    }
}

fn python() -> String {
    std::env::var("LABFORM_TEST_PYTHON").unwrap_or_else(|_| {
        panic!("LABFORM_TEST_PYTHON is not set: run `scripts/services/moto.sh start /tmp/run && . /tmp/run/moto.env` first")
    })
}

/// A name no other test (or earlier run) uses: `<prefix>-<pid>-<n>-<time>`.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_micros() % 1_000_000)
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{}-{t}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// The provider configured for `stack` with extra provider-block attributes.
pub async fn configure_with(stack: &str, extra: &[(&str, Value)]) -> Arc<dyn ConfiguredProvider> {
    endpoint();
    let p = labform_aws::provider();
    let mut config = p.config_schema().empty_value();
    for (k, v) in extra {
        config.set(*k, v.clone());
    }
    let ctx = ProviderContext {
        stack_name: stack.to_string(),
        stack_dir: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        stack_id: labform_sdk::label_safe(stack),
        expires: None,
    };
    match p.configure(&config, &ctx).await {
        Ok(c) => c,
        Err(e) => panic!("configure failed: {e}"),
    }
}

/// The provider configured for `stack`, with `default_tags { tags = { course = "labform-tests" } }`.
pub async fn configure(stack: &str) -> Arc<dyn ConfiguredProvider> {
    let default_tags = Value::List(vec![Value::from_pairs([(
        "tags",
        Value::string_map([("course", "labform-tests")]),
    )])]);
    configure_with(stack, &[("default_tags", default_tags)]).await
}

pub fn resource(p: &Arc<dyn ConfiguredProvider>, name: &str) -> Arc<dyn Resource> {
    p.resource(name)
        .unwrap_or_else(|| panic!("no resource `{name}`"))
}

pub fn data_source(p: &Arc<dyn ConfiguredProvider>, name: &str) -> Arc<dyn DataSource> {
    p.data_source(name)
        .unwrap_or_else(|| panic!("no data source `{name}`"))
}

/// A configuration: every attribute null, every block empty, then `pairs`.
pub fn config(r: &Arc<dyn Resource>, pairs: &[(&str, Value)]) -> Value {
    let mut v = r.schema().empty_value();
    for (k, x) in pairs {
        v.set(*k, x.clone());
    }
    v
}

pub fn data_config(d: &Arc<dyn DataSource>, pairs: &[(&str, Value)]) -> Value {
    let mut v = d.schema().empty_value();
    for (k, x) in pairs {
        v.set(*k, x.clone());
    }
    v
}

pub fn tags(pairs: &[(&str, &str)]) -> Value {
    Value::string_map(pairs.iter().copied())
}

pub fn strs(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| Value::from(*s)).collect())
}

fn assert_complete(r: &Arc<dyn Resource>, v: &Value) {
    assert!(
        v.is_wholly_known(),
        "{}: state holds unknowns: {v}",
        r.type_name()
    );
    for name in r.schema().names() {
        assert!(
            v.as_object().is_some_and(|m| m.contains_key(name)),
            "{}: state lacks `{name}`: {v}",
            r.type_name()
        );
    }
}

pub fn plan(r: &Arc<dyn Resource>, prior: Option<&Value>, config: &Value) -> PlannedChange {
    r.validate(config)
        .unwrap_or_else(|e| panic!("{}: validate: {e}", r.type_name()));
    r.plan(prior, config)
        .unwrap_or_else(|e| panic!("{}: plan: {e}", r.type_name()))
}

/// The error `r`'s validation refuses the configuration `base` and `pairs` with (it must).
pub fn refusal(
    r: &Arc<dyn Resource>,
    base: &[(&str, Value)],
    pairs: &[(&str, Value)],
) -> ProviderError {
    let mut all = base.to_vec();
    all.extend_from_slice(pairs);
    r.validate(&config(r, &all)).unwrap_err()
}

/// Plans and creates; checks the state is complete and that planning again changes nothing.
pub async fn create(r: &Arc<dyn Resource>, config: &Value) -> Value {
    let p = plan(r, None, config);
    let v = r
        .create(&p.planned, &OpContext::silent())
        .await
        .unwrap_or_else(|e| panic!("{}: create: {e}", r.type_name()));
    assert_complete(r, &v);
    assert_no_change(r, &v, config).await;
    v
}

/// Reads back and checks planning against the read state changes nothing.
pub async fn assert_no_change(r: &Arc<dyn Resource>, state: &Value, config: &Value) {
    let read = r
        .read(state)
        .await
        .unwrap_or_else(|e| panic!("{}: read: {e}", r.type_name()))
        .expect("read found nothing");
    assert_complete(r, &read);
    assert_eq!(
        &read,
        state,
        "{}: read-back differs from state",
        r.type_name()
    );
    let again = plan(r, Some(&read), config);
    assert!(
        again.requires_replace.is_empty(),
        "{}: replan wants replace: {:?}",
        r.type_name(),
        again.requires_replace
    );
    assert_eq!(
        again.planned,
        read,
        "{}: replan is not a no-op",
        r.type_name()
    );
}

/// Plans an in-place update (asserting it is one) and applies it.
pub async fn update(r: &Arc<dyn Resource>, prior: &Value, config: &Value) -> Value {
    let p = plan(r, Some(prior), config);
    assert!(
        p.requires_replace.is_empty(),
        "{}: expected an in-place update, got replace {:?}",
        r.type_name(),
        p.requires_replace
    );
    assert_ne!(&p.planned, prior, "{}: expected a change", r.type_name());
    let v = r
        .update(prior, &p.planned, &OpContext::silent())
        .await
        .unwrap_or_else(|e| panic!("{}: update: {e}", r.type_name()));
    assert_complete(r, &v);
    assert_no_change(r, &v, config).await;
    v
}

/// Plans a force-new change (asserting it replaces) and carries it out: delete, then create.
pub async fn replace(r: &Arc<dyn Resource>, prior: &Value, config: &Value, because: &str) -> Value {
    let p = plan(r, Some(prior), config);
    assert!(
        p.requires_replace
            .iter()
            .any(|path| path.first().map(String::as_str) == Some(because)),
        "{}: expected replace because of `{because}`, got {:?}",
        r.type_name(),
        p.requires_replace
    );
    delete(r, prior).await;
    create(r, config).await
}

/// Reads the state as a refresh would; the plan against it must want a change (drift found).
pub async fn assert_drift_fixed(r: &Arc<dyn Resource>, state: &Value, config: &Value) -> Value {
    let read = r
        .read(state)
        .await
        .unwrap_or_else(|e| panic!("{}: read: {e}", r.type_name()))
        .expect("object gone");
    let p = plan(r, Some(&read), config);
    assert!(
        p.requires_replace.is_empty(),
        "{}: drift fix should be in place",
        r.type_name()
    );
    assert_ne!(p.planned, read, "{}: drift not detected", r.type_name());
    let fixed = r
        .update(&read, &p.planned, &OpContext::silent())
        .await
        .unwrap_or_else(|e| panic!("{}: update: {e}", r.type_name()));
    assert_no_change(r, &fixed, config).await;
    fixed
}

pub async fn delete(r: &Arc<dyn Resource>, state: &Value) {
    r.delete(state, &OpContext::silent())
        .await
        .unwrap_or_else(|e| panic!("{}: delete: {e}", r.type_name()));
    let gone = r
        .read(state)
        .await
        .unwrap_or_else(|e| panic!("{}: read after delete: {e}", r.type_name()));
    assert!(
        gone.is_none(),
        "{}: still there after delete: {gone:?}",
        r.type_name()
    );
    // Deleting again succeeds.
    r.delete(state, &OpContext::silent())
        .await
        .unwrap_or_else(|e| panic!("{}: second delete: {e}", r.type_name()));
}

/// A resource type and the state of one object of it, for the caller to delete.
pub type Made = (Arc<dyn Resource>, Value);

/// Creates (with [`create`]'s checks) the `type_name` object that `pairs` configure.
pub async fn make(
    p: &Arc<dyn ConfiguredProvider>,
    type_name: &str,
    pairs: &[(&str, Value)],
) -> Made {
    let r = resource(p, type_name);
    let v = create(&r, &config(&r, pairs)).await;
    (r, v)
}

/// The stack `unique(prefix)`, configured, and its resource type `type_name`: a test's own.
pub async fn stack_of(
    prefix: &str,
    type_name: &str,
) -> (String, Arc<dyn ConfiguredProvider>, Arc<dyn Resource>) {
    let stack = unique(prefix);
    let p = configure(&stack).await;
    let r = resource(&p, type_name);
    (stack, p, r)
}

/// The resource type `type_name` in a stack of its own, `unique(prefix)`.
pub async fn lone_resource(prefix: &str, type_name: &str) -> Arc<dyn Resource> {
    stack_of(prefix, type_name).await.2
}

/// Checks that each string attribute of `state` named in `want` holds its value there.
pub fn assert_strs(state: &Value, want: &[(&str, &str)]) {
    for (attr, value) in want {
        assert_eq!(state.str_attr(attr), Some(*value), "`{attr}` of {state}");
    }
}

/// The `id` of a state.
pub fn id(v: &Value) -> String {
    v.str_attr("id")
        .unwrap_or_else(|| panic!("no id in {v}"))
        .to_string()
}

/// An `aws_vpc` of `cidr`, for the types that live in one.
pub async fn vpc(p: &Arc<dyn ConfiguredProvider>, cidr: &str) -> Made {
    make(p, "aws_vpc", &[("cidr_block", cidr.into())]).await
}

/// A `type_name` object in the VPC `vpc_id`, configured by `pairs` besides.
pub async fn in_vpc(
    p: &Arc<dyn ConfiguredProvider>,
    type_name: &str,
    vpc_id: &str,
    pairs: &[(&str, Value)],
) -> Made {
    let mut all = vec![("vpc_id", Value::from(vpc_id))];
    all.extend_from_slice(pairs);
    make(p, type_name, &all).await
}

/// An `aws_subnet` of `cidr` in the VPC `vpc_id`.
pub async fn subnet(p: &Arc<dyn ConfiguredProvider>, vpc_id: &str, cidr: &str) -> Made {
    in_vpc(p, "aws_subnet", vpc_id, &[("cidr_block", cidr.into())]).await
}

/// A stack of its own with a VPC and one subnet in it, for the types that need both.
pub struct Subnetted {
    pub stack: String,
    pub p: Arc<dyn ConfiguredProvider>,
    pub vpc: Made,
    pub vpc_id: String,
    pub subnet: Made,
}

/// The stack `unique(prefix)`, configured, with a VPC of `cidr` in it: the stack, the provider,
/// the VPC and its id.
pub async fn vpc_stack(
    prefix: &str,
    cidr: &str,
) -> (String, Arc<dyn ConfiguredProvider>, Made, String) {
    let stack = unique(prefix);
    let p = configure(&stack).await;
    let vpc = vpc(&p, cidr).await;
    let vpc_id = id(&vpc.1);
    (stack, p, vpc, vpc_id)
}

/// A [`Subnetted`] stack `unique(prefix)`: the VPC `<net>.0.0/16`, its subnet `<net>.1.0/24`.
pub async fn subnetted(prefix: &str, net: &str) -> Subnetted {
    let (stack, p, vpc, vpc_id) = vpc_stack(prefix, &format!("{net}.0.0/16")).await;
    let subnet = subnet(&p, &vpc_id, &format!("{net}.1.0/24")).await;
    Subnetted {
        stack,
        p,
        vpc,
        vpc_id,
        subnet,
    }
}

/// An `aws_security_group` named `name` (no rules) in the VPC `vpc_id`.
pub async fn security_group(p: &Arc<dyn ConfiguredProvider>, vpc_id: &str, name: &str) -> Made {
    in_vpc(p, "aws_security_group", vpc_id, &[("name", name.into())]).await
}

/// An `aws_s3_bucket` named `unique(prefix)` that may be destroyed holding objects; returns
/// the resource, the name and the state.
pub async fn scratch_bucket(
    p: &Arc<dyn ConfiguredProvider>,
    prefix: &str,
) -> (Arc<dyn Resource>, String, Value) {
    let name = unique(prefix);
    let (r, v) = make(
        p,
        "aws_s3_bucket",
        &[
            ("bucket", name.as_str().into()),
            ("force_destroy", true.into()),
        ],
    )
    .await;
    (r, name, v)
}

/// A stack of its own, [`unique`]`(prefix)`, with a [`scratch_bucket`] (`bucket_prefix`) for
/// the type `type_name` that goes in or on it: the stack, that type, the bucket's name, and the
/// bucket for the caller to delete.
pub async fn on_scratch_bucket(
    prefix: &str,
    bucket_prefix: &str,
    type_name: &str,
) -> (String, Arc<dyn Resource>, String, Made) {
    let stack = unique(prefix);
    let p = configure(&stack).await;
    let (bucket, name, v) = scratch_bucket(&p, bucket_prefix).await;
    (stack, resource(&p, type_name), name, (bucket, v))
}

/// A data source's `filter` block: `name` matching any of `values`.
pub fn filter(name: &str, values: &[&str]) -> Value {
    Value::List(vec![Value::from_pairs([
        ("name", name.into()),
        ("values", strs(values)),
    ])])
}

/// The newest x86_64 Amazon Linux 2 image (`aws_ami`), for instances.
pub async fn amazon_linux_2(p: &Arc<dyn ConfiguredProvider>) -> Value {
    let ami = data_source(p, "aws_ami");
    ami.read(&data_config(
        &ami,
        &[
            ("most_recent", true.into()),
            ("owners", strs(&["amazon"])),
            ("filter", filter("name", &["amzn2-ami-hvm-*-x86_64-gp2"])),
        ],
    ))
    .await
    .expect("ami lookup")
}

/// Runs Python with boto3 clients `s3`, `ec2`, `glue`, `iam`, `kinesis`, `sts` against moto; the script calls
/// `out(x)` once with a JSON-serialisable answer.
pub fn py(script: &str) -> serde_json::Value {
    let prelude = format!(
        "import boto3, json, os, sys\nE={:?}\ns3=boto3.client('s3', endpoint_url=E)\nec2=boto3.client('ec2', endpoint_url=E)\nglue=boto3.client('glue', endpoint_url=E)\niam=boto3.client('iam', endpoint_url=E)\nkinesis=boto3.client('kinesis', endpoint_url=E)\nsts=boto3.client('sts', endpoint_url=E)\ndef out(x):\n    print(json.dumps(x, default=str))\n",
        endpoint()
    );
    let output = Command::new(python())
        .arg("-c")
        .arg(format!("{prelude}{script}"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run the test python: {e}"));
    assert!(
        output.status.success(),
        "boto3 script failed:\n{}\n{}",
        script,
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("boto3 script printed no json ({e}): {text}"))
}

/// A boto3 script printing which of `names` (sorted) name an object of `listing` (a Python
/// expression of a list, `rds.describe_db_instances()['DBInstances']`) in its `key`.
pub fn names_listed(listing: &str, key: &str, names: &[&str]) -> String {
    format!("out(sorted(x[{key:?}] for x in {listing} if x[{key:?}] in {names:?}))")
}

/// A boto3 script printing which of `names` (sorted) are among `listing` (a Python expression
/// of a list of names, `glue.list_jobs()['JobNames']`).
pub fn names_among(listing: &str, names: &[&str]) -> String {
    format!("out(sorted(n for n in {listing} if n in {names:?}))")
}

/// A boto3 script printing the object `described` (a Python expression) with its tags, a list
/// under `tags_key`, as a map under `Tags`.
pub fn with_tag_map(described: &str, tags_key: &str) -> String {
    format!(
        "o={described}
o['Tags']={{x['Key']:x['Value'] for x in o.get({tags_key:?}, [])}}
out(o)"
    )
}

/// Whether `name` is the `key` of any of `objects` (a boto3 list expression).
pub fn listed(objects: &str, key: &str, name: &str) -> bool {
    py(&format!(
        "out(any(o[{key:?}]=={name:?} for o in {objects}))"
    )) == serde_json::json!(true)
}

/// The ARN of the Glue object `kind/<name>` in moto's account `a`, a Python expression
/// (`name` is one too).
fn glue_arn(kind: &str, name: &str) -> String {
    format!("'arn:aws:glue:us-east-1:%s:{kind}/%s' % (a, {name})")
}

/// A Glue object (`get`, a boto3 expression) and its tags as boto3 sees them: `[object, tags]`.
pub fn glue_remote(get: &str, kind: &str, name: &str) -> (serde_json::Value, serde_json::Value) {
    let arn = glue_arn(kind, &format!("{name:?}"));
    let j = py(&format!(
        "o={get}\na=sts.get_caller_identity()['Account']\nt=glue.get_tags(ResourceArn={arn})['Tags']\nout([o, t])"
    ));
    (j[0].clone(), j[1].clone())
}

/// The count for an adoption test: how many Glue objects `kind/name` (`names`, a boto3 list
/// of names) carry `labform-instance = token`.
pub fn glue_marked<'a>(
    kind: &'a str,
    names: &'a str,
    name: &'a str,
) -> impl Fn(&str) -> usize + 'a {
    move |token| {
        let arn = glue_arn(kind, "n");
        let j = py(&format!(
            "a=sts.get_caller_identity()['Account']\nN=[n for n in {names} if n=={name:?}]\nout(len([n for n in N if glue.get_tags(ResourceArn={arn})['Tags'].get({INSTANCE_KEY:?})=={token:?}]))"
        ));
        j.as_u64().unwrap_or(0) as usize
    }
}

/// Tags of an EC2 object, from boto3.
pub fn ec2_tags(id: &str) -> BTreeMap<String, String> {
    let j = py(&format!(
        "r=ec2.describe_tags(Filters=[{{'Name':'resource-id','Values':[{id:?}]}}])['Tags']\nout({{t['Key']:t['Value'] for t in r}})"
    ));
    serde_json::from_value(j).unwrap_or_default()
}

/// Every EC2 object that still exists and carries `labform-stack = stack` (asked per type:
/// moto keeps the tags of deleted objects in DescribeTags).
pub fn ec2_marked(stack: &str) -> Vec<String> {
    let j = py(&format!(
        "F=[{{'Name':'tag:labform-stack','Values':[{stack:?}]}}]\n\
         ids=[]\n\
         ids+=[x['VpcId'] for x in ec2.describe_vpcs(Filters=F)['Vpcs']]\n\
         ids+=[x['SubnetId'] for x in ec2.describe_subnets(Filters=F)['Subnets']]\n\
         ids+=[x['InternetGatewayId'] for x in ec2.describe_internet_gateways(Filters=F)['InternetGateways']]\n\
         ids+=[x['RouteTableId'] for x in ec2.describe_route_tables(Filters=F)['RouteTables']]\n\
         ids+=[x['GroupId'] for x in ec2.describe_security_groups(Filters=F)['SecurityGroups']]\n\
         ids+=[x['SecurityGroupRuleId'] for x in ec2.describe_security_group_rules(Filters=F)['SecurityGroupRules']]\n\
         ids+=[x['KeyPairId'] for x in ec2.describe_key_pairs(Filters=F)['KeyPairs']]\n\
         ids+=[i['InstanceId'] for r in ec2.describe_instances(Filters=F)['Reservations'] for i in r['Instances'] if i['State']['Name']!='terminated']\n\
         ids+=[x['VolumeId'] for x in ec2.describe_volumes(Filters=F)['Volumes']]\n\
         out(sorted(set(ids)))"
    ));
    serde_json::from_value(j).unwrap_or_default()
}

/// Deletes each of `made` in turn (dependents first, as a destroy walks them; each delete must
/// succeed outright) and checks that nothing tagged with `stack` is left in EC2.
pub async fn teardown_ec2(stack: &str, made: &[(&Arc<dyn Resource>, &Value)]) {
    for (r, v) in made {
        delete(r, v).await;
    }
    assert_eq!(ec2_marked(stack), Vec::<String>::new());
}

/// The mark and default tags every object of `stack` must carry.
pub fn assert_marked(tags: &BTreeMap<String, String>, stack: &str) {
    assert_eq!(
        tags.get("managed-by").map(String::as_str),
        Some("labform"),
        "mark missing in {tags:?}"
    );
    assert_eq!(
        tags.get("labform-stack").map(String::as_str),
        Some(stack),
        "stack mark missing in {tags:?}"
    );
    assert_eq!(
        tags.get("course").map(String::as_str),
        Some("labform-tests"),
        "default tag missing in {tags:?}"
    );
}

/// What a sweep of `stack` (as the engine names it, id derived the same way) finds of `r`.
pub async fn marked_values(r: &Arc<dyn Resource>, stack: &str) -> Vec<Value> {
    let filter = labform_sdk::StackFilter::Stack {
        name: stack.to_string(),
        id: labform_sdk::label_safe(stack),
    };
    r.list_marked(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.value)
        .collect()
}

/// Imports `id` and checks that the import reads each of `attrs` as `state` holds it, and that
/// importing an object that does not exist (or an id of another form) fails.
pub async fn assert_imported(
    r: &Arc<dyn Resource>,
    id: &str,
    state: &Value,
    attrs: &[&str],
) -> Value {
    let imported = r
        .import(id)
        .await
        .unwrap_or_else(|e| panic!("{}: import `{id}`: {e}", r.type_name()));
    for attr in attrs {
        assert_eq!(imported.get(attr), state.get(attr), "imported `{attr}`");
    }
    assert!(r.import("lf-no-such-object").await.is_err());
    imported
}

/// [`assert_imported`] for a database (`aws_db_instance`, `aws_redshift_cluster`), which an
/// import records as the provider's does: no final snapshot (a snapshot name cannot be read
/// back) and no password (in `password_attr`).
pub async fn assert_database_imported(
    r: &Arc<dyn Resource>,
    id: &str,
    state: &Value,
    password_attr: &str,
    attrs: &[&str],
) {
    let imported = assert_imported(r, id, state, attrs).await;
    assert_eq!(imported.get("skip_final_snapshot"), &Value::from(true));
    assert_eq!(imported.get(password_attr), &Value::Null);
}

/// Checks that a sweep of `stack` finds `state` of `r`, and nothing else.
pub async fn assert_swept(r: &Arc<dyn Resource>, stack: &str, state: &Value) {
    let marked = marked_values(r, stack).await;
    assert_eq!(marked.len(), 1, "{marked:?}");
    assert_eq!(marked[0].get("id"), state.get("id"));
}

/// The end of a life cycle: a sweep of `stack` finds `state` of `r` (and nothing else) by its
/// marks, and destroying it leaves `names_left()` (boto3's answer for the names the test used)
/// empty.
pub async fn assert_swept_then_destroyed(
    r: &Arc<dyn Resource>,
    stack: &str,
    state: &Value,
    names_left: impl Fn() -> serde_json::Value,
) {
    assert_swept(r, stack, state).await;
    assert_destroyed(r, state, names_left).await;
}

/// Deletes `state` of `r` and checks that `names_left()` (boto3's answer for the names the test
/// used) is empty.
pub async fn assert_destroyed(
    r: &Arc<dyn Resource>,
    state: &Value,
    names_left: impl Fn() -> serde_json::Value,
) {
    delete(r, state).await;
    assert_eq!(names_left(), serde_json::json!([]));
}

/// Replaces `state` by `config` under the name `names[1]` (in `name_attr`), after which
/// `named(&names)`, boto3's sorted listing of the old and the new name, is the new name alone.
pub async fn assert_renamed(
    r: &Arc<dyn Resource>,
    state: &Value,
    config: &Value,
    name_attr: &str,
    names: [&str; 2],
    named: impl Fn(&[&str]) -> serde_json::Value,
) -> Value {
    let mut renamed = config.clone();
    renamed.set(name_attr, names[1].into());
    let v = replace(r, state, &renamed, name_attr).await;
    assert_eq!(named(&names), serde_json::json!([names[1]]));
    v
}

/// The end of a named object's life cycle: [`assert_renamed`] to `names[1]`, then
/// [`assert_swept_then_destroyed`], after which `named` finds neither name.
pub async fn assert_renamed_swept_destroyed(
    r: &Arc<dyn Resource>,
    stack: &str,
    state: &Value,
    config: &Value,
    name_attr: &str,
    names: [&str; 2],
    named: impl Fn(&[&str]) -> serde_json::Value,
) {
    let renamed = assert_renamed(r, state, config, name_attr, names, &named).await;
    assert_swept_then_destroyed(r, stack, &renamed, || named(&names)).await;
}

/// Checks that a sweep of `stack` finds `state` of `r` once, and a sweep of another stack never
/// does (for the types whose account other runs share: the sweep may find theirs too).
pub async fn assert_swept_among_others(r: &Arc<dyn Resource>, stack: &str, state: &Value) {
    let found = marked_values(r, stack).await;
    assert_eq!(
        found
            .iter()
            .filter(|f| f.get("id") == state.get("id"))
            .count(),
        1
    );
    let theirs = marked_values(r, "no-such-stack").await;
    assert!(theirs.iter().all(|f| f.get("id") != state.get("id")));
}

/// A database created from `pairs` whose delete would need a final snapshot nobody named: the
/// delete fails with `message` before any call, so `still_there()` (asked of boto3) holds, and
/// the error never shows `password`. It is deleted without a snapshot afterwards.
pub async fn assert_unnamed_final_snapshot_refused(
    r: &Arc<dyn Resource>,
    pairs: &[(&str, Value)],
    password: &str,
    message: &str,
    still_there: impl Fn() -> bool,
) {
    let v = create(r, &config(r, pairs)).await;
    let e = r.delete(&v, &OpContext::silent()).await.unwrap_err();
    assert_eq!(e.message, message);
    assert!(!e.to_string().contains(password), "{e}");
    // moto would have deleted it without a snapshot: the call was never made.
    assert!(still_there(), "{} deleted", r.type_name());
    let mut skip = v.clone();
    skip.set("skip_final_snapshot", true.into());
    delete(r, &skip).await;
}

/// A VPC with two subnets in two zones (boto3): `(vpc, [subnet, subnet])`.
pub fn network(cidr16: &str) -> (String, Vec<String>) {
    let j = py(&format!(
        "v=ec2.create_vpc(CidrBlock='{cidr16}.0.0/16')['Vpc']['VpcId']\n\
         a=ec2.create_subnet(VpcId=v,CidrBlock='{cidr16}.1.0/24',AvailabilityZone='us-east-1a')['Subnet']['SubnetId']\n\
         b=ec2.create_subnet(VpcId=v,CidrBlock='{cidr16}.2.0/24',AvailabilityZone='us-east-1b')['Subnet']['SubnetId']\n\
         out([v, sorted([a, b])])"
    ));
    let vpc = j[0].as_str().unwrap().to_string();
    let subnets = j[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect();
    (vpc, subnets)
}

pub fn drop_network(vpc: &str, subnets: &[String]) {
    py(&format!(
        "for s in {subnets:?}:\n    ec2.delete_subnet(SubnetId=s)\nec2.delete_vpc(VpcId={vpc:?})\nout(1)"
    ));
}

/// What differs between the RDS and the Redshift subnet group in [`subnet_group_life_cycle`].
pub struct SubnetGroupCase {
    pub type_name: &'static str,
    /// Names the stack and (after `lf-`) the groups.
    pub short: &'static str,
    /// The network's `10.x`.
    pub cidr16: &'static str,
    /// The ARN up to the name.
    pub arn_prefix: &'static str,
    /// The key of the description in boto3's answer.
    pub description_key: &'static str,
    /// The group `name` from boto3, its tags as `Tags` (a map).
    pub group: fn(&str) -> serde_json::Value,
    /// Which of `names` exist, sorted (boto3).
    pub groups_named: fn(&[&str]) -> serde_json::Value,
    /// Sets the tag `team = other` on the group `arn` (boto3).
    pub drift_tag: fn(&str),
    /// Whether the type has a computed `vpc_id` (RDS's).
    pub has_vpc_id: bool,
}

/// The life cycle of a subnet group: create, update its tags, plan a change of description and
/// subnets in place, drift, import, replace by name, sweep, delete.
pub async fn subnet_group_life_cycle(case: SubnetGroupCase) {
    let stack = unique(case.short);
    let p = configure(&stack).await;
    let r = resource(&p, case.type_name);
    let (vpc, subnets) = network(case.cidr16);
    let name = unique(&format!("lf-{}", case.short));
    let cfg = |name: &str, description: Option<&str>, ids: &[String], team: &str| {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        config(
            &r,
            &[
                ("name", name.into()),
                ("description", description.map_or(Value::Null, Value::from)),
                ("subnet_ids", strs(&ids)),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };

    // Create with the default description, read back as declared.
    let v = create(&r, &cfg(&name, None, &subnets, "data")).await;
    assert_eq!(v.str_attr("id"), Some(name.as_str()));
    assert_eq!(
        v.str_attr("arn"),
        Some(format!("{}{name}", case.arn_prefix).as_str())
    );
    let g = (case.group)(&name);
    assert_eq!(g[case.description_key], "Managed by Terraform");
    assert_eq!(g["VpcId"], vpc.as_str());
    if case.has_vpc_id {
        assert_eq!(v.str_attr("vpc_id"), Some(vpc.as_str()));
    }
    assert_eq!(subnet_ids(&g), subnets);
    assert_eq!(g["Tags"]["team"], "data");
    assert_marked(&serde_json::from_value(g["Tags"].clone()).unwrap(), &stack);

    // Update in place: tags. A description or subnet change is in place too, but moto 5.1.22
    // cannot check it: it lacks ModifyClusterSubnetGroup, and loses a group that
    // ModifyDBSubnetGroup changes.
    let v = update(&r, &v, &cfg(&name, None, &subnets, "ml")).await;
    let g = (case.group)(&name);
    assert_eq!(g["Tags"]["team"], "ml");
    assert_eq!(g["Tags"]["managed-by"], "labform");
    let plan_desc = plan(
        &r,
        Some(&v),
        &cfg(&name, Some("lab group"), &subnets[..1], "ml"),
    );
    assert!(
        plan_desc.requires_replace.is_empty(),
        "a description or subnet change is made in place"
    );
    assert_ne!(plan_desc.planned, v);

    // Drift: a tag changed by boto3, planned back.
    (case.drift_tag)(v.str_attr("arn").unwrap());
    let v = assert_drift_fixed(&r, &v, &cfg(&name, None, &subnets, "ml")).await;
    assert_eq!((case.group)(&name)["Tags"]["team"], "ml");

    // Import by name.
    let attrs = [
        "id",
        "arn",
        "name",
        "description",
        "subnet_ids",
        "tags_all",
        "vpc_id",
    ];
    assert_imported(&r, &name, &v, &attrs).await;

    // Force-new: the name.
    let name2 = unique(&format!("lf-{}2", case.short));
    let v2 = replace(
        &r,
        &v,
        &cfg(&name2, Some("lab group"), &subnets[..1], "ml"),
        "name",
    )
    .await;
    let g = (case.group)(&name2);
    assert_eq!(g[case.description_key], "lab group");
    assert_eq!(subnet_ids(&g), subnets[..1].to_vec());
    assert_eq!(
        (case.groups_named)(&[&name, &name2]),
        serde_json::json!([name2])
    );

    // Sweep finds it by its marks; destroy leaves nothing.
    assert_swept_then_destroyed(&r, &stack, &v2, || (case.groups_named)(&[&name, &name2])).await;
    drop_network(&vpc, &subnets);
}

/// A [`network`] of `cidr16` and, over its subnets, a `type_name` subnet group named by `name`
/// (`name` or `name_prefix` and its value): `(vpc, subnets, group type, group)`.
pub async fn subnet_group_over_network(
    p: &Arc<dyn ConfiguredProvider>,
    type_name: &str,
    cidr16: &str,
    name: (&str, Value),
) -> (String, Vec<String>, Arc<dyn Resource>, Value) {
    let (vpc, subnets) = network(cidr16);
    let ids: Vec<&str> = subnets.iter().map(String::as_str).collect();
    let (g, group) = make(p, type_name, &[name, ("subnet_ids", strs(&ids))]).await;
    (vpc, subnets, g, group)
}

/// The sorted subnet ids of a subnet group as boto3 answers it.
pub fn subnet_ids(g: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = g["Subnets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["SubnetIdentifier"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}
