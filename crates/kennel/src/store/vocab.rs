//! The domain's closed vocabularies as database values: each is stored as its
//! lowercase text (the migrations' CHECK constraints list the same values) and
//! read back into the enum, so records leave the store typed and no caller parses
//! them again. A value the enum does not know is a decode error, which the store
//! reports as a database fault (500), never as the client's mistake.

use sqlx::database::Database;
use sqlx::decode::Decode;
use sqlx::encode::{Encode, IsNull};
use sqlx::error::BoxDynError;
use sqlx::types::Type;

use crate::domain::account::AlertChannel;
use crate::domain::account::Role;
use crate::domain::conversation::{ContactPreference, Side, ThreadStatus};
use crate::domain::mail::{OutboxKind, OutboxStatus};
use crate::domain::puppy::{Coat, OrganizationKind, Sex, Size, Status};

macro_rules! stored_as_text {
    ($($name:ty),+ $(,)?) => {$(
        impl<DB: Database> Type<DB> for $name
        where
            String: Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as Type<DB>>::type_info()
            }

            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: Database> Encode<'q, DB> for $name
        where
            String: Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                self.as_str().to_owned().encode_by_ref(buf)
            }
        }

        impl<'r, DB: Database> Decode<'r, DB> for $name
        where
            &'r str: Decode<'r, DB>,
        {
            fn decode(value: <DB as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
                let text = <&'r str as Decode<'r, DB>>::decode(value)?;
                <$name>::parse(text).ok_or_else(|| {
                    format!("unexpected {} value in the database: {text:?}", stringify!($name)).into()
                })
            }
        }
    )+};
}

stored_as_text!(
    Sex,
    Size,
    Coat,
    Status,
    OrganizationKind,
    Role,
    ThreadStatus,
    Side,
    ContactPreference,
    OutboxKind,
    OutboxStatus,
    AlertChannel
);
