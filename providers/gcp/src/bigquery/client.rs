//! The BigQuery clients (official `google-cloud-bigquery-v2`), spoken to in API JSON.
//!
//! Request bodies are built as JSON (so the exact body of every PATCH is unit-tested) and
//! converted into the crate's typed models, which serialise back to the same JSON; answers are
//! turned back into JSON for the state code.

use std::future::Future;

use google_cloud_bigquery_v2::client::{DatasetService, TableService};
use google_cloud_bigquery_v2::model::{Dataset, Table};
use google_cloud_gax::error::rpc::StatusDetails;
use google_cloud_gax::error::Error as GaxError;
use labform_sdk::{ProviderError, Result};
use serde_json::Value as Json;

use crate::errors::{first_line, ApiError, CallError};
use crate::settings::{is_emulator, Endpoint};

#[derive(Clone)]
pub struct BqClient {
    datasets: DatasetService,
    tables: TableService,
    base: String,
    /// Why calls cannot be made (no credentials), reported by every call.
    unavailable: Option<ProviderError>,
}

type CallResult<T> = Result<T, CallError>;

/// How an update is written: a PATCH of the fields in the body, or a PUT (`update`) of the whole
/// resource.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Write {
    Patch,
    Put,
}

impl std::fmt::Debug for BqClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The services hold the credentials (and cached tokens): never print them.
        f.debug_struct("BqClient")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl BqClient {
    pub async fn new(endpoint: &Endpoint, timeout: std::time::Duration) -> Result<Self> {
        // The crate adds `/bigquery/v2/...` itself: give it the host part only.
        let host = endpoint
            .base
            .trim_end_matches('/')
            .trim_end_matches("/bigquery/v2")
            .to_string();
        let creds = endpoint.auth.to_client_credentials();
        let emulator = is_emulator(&endpoint.base);
        macro_rules! build {
            ($svc:ty) => {{
                let mut b = <$svc>::builder().with_endpoint(host.clone()).with_credentials(creds.clone()).with_attempt_timeout(timeout);
                if emulator {
                    // A local emulator that is down must fail at once, not after minutes of retries.
                    b = b.with_retry_policy(google_cloud_gax::retry_policy::NeverRetry);
                }
                b.build().await.map_err(|e| ProviderError::api(format!("cannot build the BigQuery client: {e}")))?
            }};
        }
        Ok(BqClient {
            datasets: build!(DatasetService),
            tables: build!(TableService),
            base: endpoint.base.clone(),
            unavailable: match &endpoint.auth {
                crate::credentials::Auth::Unavailable(e) => Some(e.clone()),
                _ => None,
            },
        })
    }

    fn ready(&self) -> CallResult<()> {
        match &self.unavailable {
            Some(e) => Err(CallError::Other(e.clone())),
            None => Ok(()),
        }
    }

    fn err(&self, e: google_cloud_gax::error::Error) -> CallError {
        to_call_error(&self.base, e)
    }

    /// Sends one call (`ready` first) and turns its answer into API JSON.
    async fn json<T: serde::Serialize>(
        &self,
        call: impl Future<Output = Result<T, GaxError>>,
    ) -> CallResult<Json> {
        self.ready()?;
        call.await.map(|v| to_json(&v)).map_err(|e| self.err(e))
    }

    /// [`Self::json`] for a get: `None` when the object does not exist.
    async fn found<T: serde::Serialize>(
        &self,
        call: impl Future<Output = Result<T, GaxError>>,
    ) -> CallResult<Option<Json>> {
        match self.json(call).await {
            Ok(j) => Ok(Some(j)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every item of a paged listing: `page` sends the call for one page token, `split` takes
    /// the items and the next token out of its answer.
    async fn all_pages<P, Fut>(
        &self,
        page: impl Fn(String) -> Fut,
        split: impl Fn(P) -> (Vec<Json>, String),
    ) -> CallResult<Vec<Json>>
    where
        Fut: Future<Output = Result<P, GaxError>>,
    {
        self.ready()?;
        let mut out = Vec::new();
        let mut token = String::new();
        loop {
            let (items, next) = split(page(token.clone()).await.map_err(|e| self.err(e))?);
            out.extend(items);
            if next.is_empty() || next == token {
                return Ok(out);
            }
            token = next;
        }
    }

    pub async fn get_dataset(&self, project: &str, id: &str) -> CallResult<Option<Json>> {
        let ds = self.datasets.get_dataset().set_project_id(project);
        self.found(ds.set_dataset_id(id).send()).await
    }

    pub async fn insert_dataset(&self, project: &str, body: Json) -> CallResult<Json> {
        let ds = self.datasets.insert_dataset().set_project_id(project);
        self.json(ds.set_dataset(from_json::<Dataset>(body)?).send())
            .await
    }

    /// Writes a dataset: `how` says whether `body` is a PATCH or the whole resource (PUT).
    pub async fn write_dataset(
        &self,
        how: Write,
        project: &str,
        id: &str,
        body: Json,
    ) -> CallResult<Json> {
        let body = from_json::<Dataset>(body)?;
        // PATCH and PUT take the same request: only the method differs.
        macro_rules! send {
            ($method:ident) => {{
                let ds = self.datasets.$method().set_project_id(project);
                self.json(ds.set_dataset_id(id).set_dataset(body).send())
                    .await
            }};
        }
        match how {
            Write::Patch => send!(patch_dataset),
            Write::Put => send!(update_dataset),
        }
    }

    pub async fn delete_dataset(
        &self,
        project: &str,
        id: &str,
        delete_contents: bool,
    ) -> CallResult<()> {
        let ds = self.datasets.delete_dataset().set_project_id(project);
        let ds = ds.set_dataset_id(id).set_delete_contents(delete_contents);
        self.json(ds.send()).await.map(|_| ())
    }

    /// Every dataset of the project (with labels).
    pub async fn list_datasets(&self, project: &str) -> CallResult<Vec<Json>> {
        let list = self.datasets.list_datasets().set_project_id(project);
        self.all_pages(
            |token| list.clone().set_all(true).set_page_token(token).send(),
            |page| {
                (
                    page.datasets.iter().map(to_json).collect(),
                    page.next_page_token,
                )
            },
        )
        .await
    }

    pub async fn get_table(
        &self,
        project: &str,
        dataset: &str,
        id: &str,
    ) -> CallResult<Option<Json>> {
        let t = self.tables.get_table().set_project_id(project);
        self.found(t.set_dataset_id(dataset).set_table_id(id).send())
            .await
    }

    pub async fn insert_table(&self, project: &str, dataset: &str, body: Json) -> CallResult<Json> {
        let t = self.tables.insert_table().set_project_id(project);
        let t = t
            .set_dataset_id(dataset)
            .set_table(from_json::<Table>(body)?);
        self.json(t.send()).await
    }

    /// Writes a table: `how` says whether `body` is a PATCH or the whole resource (PUT).
    pub async fn write_table(
        &self,
        how: Write,
        project: &str,
        dataset: &str,
        id: &str,
        body: Json,
    ) -> CallResult<Json> {
        let body = from_json::<Table>(body)?;
        // PATCH and PUT take the same request: only the method differs.
        macro_rules! send {
            ($method:ident) => {{
                let t = self.tables.$method().set_project_id(project);
                let t = t.set_dataset_id(dataset).set_table_id(id);
                self.json(t.set_table(body).send()).await
            }};
        }
        match how {
            Write::Patch => send!(patch_table),
            Write::Put => send!(update_table),
        }
    }

    pub async fn delete_table(&self, project: &str, dataset: &str, id: &str) -> CallResult<()> {
        let t = self.tables.delete_table().set_project_id(project);
        let t = t.set_dataset_id(dataset).set_table_id(id);
        self.json(t.send()).await.map(|_| ())
    }

    /// Every table of a dataset (ids and labels).
    pub async fn list_tables(&self, project: &str, dataset: &str) -> CallResult<Vec<Json>> {
        let list = self.tables.list_tables().set_project_id(project);
        let list = list.set_dataset_id(dataset);
        self.all_pages(
            |token| list.clone().set_page_token(token).send(),
            |page| {
                (
                    page.tables.iter().map(to_json).collect(),
                    page.next_page_token,
                )
            },
        )
        .await
    }
}

/// A typed model as the API's JSON.
pub fn to_json<T: serde::Serialize>(v: &T) -> Json {
    serde_json::to_value(v).unwrap_or(Json::Null)
}

/// API JSON as a typed model (what the crate then sends).
pub fn from_json<T: serde::de::DeserializeOwned>(body: Json) -> CallResult<T> {
    serde_json::from_value(body).map_err(|e| {
        CallError::Other(ProviderError::invalid(format!(
            "the request body does not fit the BigQuery API: {e}"
        )))
    })
}

/// Maps a client error to the status and reason we match on.
fn to_call_error(base: &str, e: google_cloud_gax::error::Error) -> CallError {
    if let Some(code) = e.http_status_code() {
        if let Some(status) = e.status() {
            let mut reason = status.code.name().to_string();
            let mut permission = None;
            for d in &status.details {
                if let StatusDetails::ErrorInfo(info) = d {
                    if !info.reason.is_empty() {
                        reason = info.reason.clone();
                        permission = info.metadata.get("permission").cloned();
                        break;
                    }
                }
            }
            let mut api = ApiError {
                status: code,
                reason,
                message: status.message.clone(),
                permission,
            };
            if api.permission.is_none() {
                // The parser knows how to find a permission named in the message.
                api.permission = ApiError::parse(
                    code,
                    serde_json::json!({"error": {"message": status.message}})
                        .to_string()
                        .as_bytes(),
                )
                .permission;
            }
            return CallError::Api(api);
        }
        let payload = e.http_payload().map(|b| b.to_vec()).unwrap_or_default();
        return CallError::Api(ApiError::parse(code, &payload));
    }
    if e.is_authentication() {
        return CallError::Other(
            ProviderError::credentials(format!(
                "could not authenticate to BigQuery: {}",
                first_line(&e.to_string())
            ))
            .with_hint("check the key file or run `gcloud auth application-default login` again"),
        );
    }
    if e.is_timeout() {
        return CallError::Other(ProviderError::transient(format!(
            "BigQuery at `{base}` did not answer in time"
        )));
    }
    if e.is_connect() || e.is_io() || e.is_transport() || e.is_exhausted() {
        return CallError::Other(ProviderError::unreachable(format!("cannot reach BigQuery at `{base}`")).with_hint(
            "check the network, or when using an emulator that it runs and `BIGQUERY_EMULATOR_HOST` / `big_query_custom_endpoint` point at it",
        ));
    }
    CallError::Other(ProviderError::api(format!(
        "BigQuery call failed: {}",
        first_line(&e.to_string())
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use google_cloud_gax::error::rpc::Status;
    use google_cloud_gax::error::Error;

    #[test]
    fn service_errors_keep_status_and_reason() {
        let body = bytes::Bytes::from_static(
            br#"{"error":{"code":403,"message":"Access Denied: Project p: User does not have bigquery.datasets.create permission in project p.","status":"PERMISSION_DENIED","errors":[{"reason":"accessDenied","domain":"global","message":"x"}]}}"#,
        );
        let status = Status::try_from(&body).expect("a status body");
        let e = Error::service_with_http_metadata(status, Some(403), None);
        let CallError::Api(api) = to_call_error("b", e) else {
            panic!("expected an API error")
        };
        assert_eq!(api.status, 403);
        assert_eq!(api.reason, "accessDenied");
        assert_eq!(api.permission.as_deref(), Some("bigquery.datasets.create"));
        let p = api.into_provider_error("dataset `d`");
        assert!(
            p.message.contains("`bigquery.datasets.create`"),
            "{}",
            p.message
        );
    }

    #[test]
    fn billing_and_not_found() {
        let body = bytes::Bytes::from_static(br#"{"error":{"code":403,"message":"Billing has not been enabled for this project.","errors":[{"reason":"billingNotEnabled"}]}}"#);
        let e =
            Error::service_with_http_metadata(Status::try_from(&body).unwrap(), Some(403), None);
        let p = to_call_error("b", e).into_provider("dataset `d`");
        assert!(
            p.message.contains("billing is not enabled"),
            "{}",
            p.message
        );
        let body = bytes::Bytes::from_static(br#"{"error":{"code":404,"message":"Not found: Dataset p:d","errors":[{"reason":"notFound"}],"status":"NOT_FOUND"}}"#);
        let e =
            Error::service_with_http_metadata(Status::try_from(&body).unwrap(), Some(404), None);
        assert!(to_call_error("b", e).is_not_found());
    }
}
