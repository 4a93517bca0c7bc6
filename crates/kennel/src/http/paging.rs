//! Lists in HTTP: the query string of a list that takes only `limit` and
//! `cursor`, and the schema of a page in the API document.

use std::borrow::Cow;

use serde::Deserialize;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use crate::domain::paging::{List, Page, PageRequest};
use crate::domain::FieldError;
use crate::error::{ApiError, ApiResult};

/// `limit` and `cursor` of a list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page size, 1 to 100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100)]
    pub limit: Option<String>,
    /// The `next_cursor` of the previous page (opaque; only this list takes it).
    #[param(value_type = Option<String>)]
    pub cursor: Option<String>,
}

/// The page of `list` that the query string `raw` asks for, or every bad field.
pub fn page_params(raw: Option<String>, list: List) -> ApiResult<PageRequest> {
    let params: PageParams = serde_html_form::from_str(raw.as_deref().unwrap_or(""))
        .map_err(|e| ApiError::from(FieldError::new("query", e.to_string())))?;
    let mut errors = Vec::new();
    let page = PageRequest::parse(
        params.limit.as_deref(),
        params.cursor.as_deref(),
        list,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(page)
}

/// An item of a list, and the name of its page's schema in the API document.
///
/// utoipa 5's derive would name a generic schema after its arguments
/// (`Page_PuppySummary`) and inline the item's schema in each; this names each
/// list's page as it always was, with its items by reference. Handlers give the
/// page's alias (`PuppyPage`) as the response body, so that the path macro takes
/// it as the named schema this describes.
pub trait PageItem: ToSchema {
    const PAGE_SCHEMA: &'static str;
}

impl<T: PageItem> PartialSchema for Page<T> {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .description(Some("One page of a list."))
            .property(
                "items",
                ArrayBuilder::new().items(Ref::from_schema_name(T::name())),
            )
            .required("items")
            .property(
                "next_cursor",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                    .description(Some(
                        "Pass as `cursor` to get the next page; `null` on the last page.",
                    )),
            )
            .into()
    }
}

impl<T: PageItem> ToSchema for Page<T> {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed(T::PAGE_SCHEMA)
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}
