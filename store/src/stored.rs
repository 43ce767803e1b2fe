//! Domain enums as stored columns.
//!
//! A status or kind column holds the domain enum's code (`"OPEN"`, `"COUNTY"`, …), the
//! same strings every earlier version wrote, so typing the columns needed no data
//! migration. The orphan rule keeps sea-orm's traits off the domain's own types, so a
//! column's Rust type is `Stored<T>`: a transparent wrapper that derefs to the domain
//! value. Reading a code that no variant matches fails the whole read with an error
//! naming the table, the row and the column — never a default.

use std::fmt;
use std::ops::Deref;

use sea_orm::sea_query::{
    ArrayType, ColumnType, Nullable, StringLen, Value, ValueType, ValueTypeErr,
};
use sea_orm::{ColIdx, DbErr, QueryResult, TryGetError, TryGetable};
use touming_domain::OrgKind;
use touming_domain::assessment::{
    AnswerStatus, AssignmentStatus, RectificationStatus, RoundStatus,
};
use touming_domain::catalogue::VersionStatus;
use touming_domain::scoring::Grade;

/// A domain enum that a column stores as its code.
pub trait StoredEnum: Copy + Eq + fmt::Debug + Send + Sync + 'static {
    /// The domain type's name, for error messages.
    const NAME: &'static str;
    /// Every `(table, column)` holding this enum: a bad value's error names its table
    /// from the column it was read from.
    const COLUMNS: &'static [(&'static str, &'static str)];
    fn code(self) -> &'static str;
    fn from_code(code: &str) -> Option<Self>;
}

/// A column holding a domain enum `T`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stored<T>(pub T);

impl<T> Deref for Stored<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// `row.status == RoundStatus::Open` reads as it should.
impl<T: PartialEq> PartialEq<T> for Stored<T> {
    fn eq(&self, other: &T) -> bool {
        self.0 == *other
    }
}

impl<T> From<T> for Stored<T> {
    fn from(value: T) -> Self {
        Stored(value)
    }
}

impl<T: StoredEnum> fmt::Debug for Stored<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code())
    }
}

impl<T: StoredEnum> fmt::Display for Stored<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code())
    }
}

impl<T: StoredEnum> serde::Serialize for Stored<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.code())
    }
}

/// The value a query compares a column with: `Column::Status.eq(stored(RoundStatus::Open))`.
pub fn stored<T: StoredEnum>(value: T) -> Stored<T> {
    Stored(value)
}

impl<T: StoredEnum> From<Stored<T>> for Value {
    fn from(value: Stored<T>) -> Value {
        Value::String(Some(value.0.code().to_owned()))
    }
}

impl<T: StoredEnum> Nullable for Stored<T> {
    fn null() -> Value {
        Value::String(None)
    }
}

impl<T: StoredEnum> ValueType for Stored<T> {
    fn try_from(v: Value) -> Result<Self, ValueTypeErr> {
        match v {
            Value::String(Some(s)) => T::from_code(&s).map(Stored).ok_or(ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }
    fn type_name() -> String {
        format!("Stored<{}>", T::NAME)
    }
    fn array_type() -> ArrayType {
        ArrayType::String
    }
    fn column_type() -> ColumnType {
        ColumnType::String(StringLen::None)
    }
}

impl<T: StoredEnum> TryGetable for Stored<T> {
    fn try_get_by<I: ColIdx>(res: &QueryResult, idx: I) -> Result<Self, TryGetError> {
        let code = String::try_get_by(res, idx)?;
        match T::from_code(&code) {
            Some(v) => Ok(Stored(v)),
            None => Err(TryGetError::DbErr(DbErr::Type(unreadable::<T>(
                res, idx, &code,
            )))),
        }
    }
}

/// "stored value "X" in round.status (row id 7) is not a RoundStatus". Rows are read
/// with or without a prefix (`A_status` in a joined select); the row id is the `id`
/// column beside it, when the select has one.
fn unreadable<T: StoredEnum>(res: &QueryResult, idx: impl ColIdx, code: &str) -> String {
    // Tuples are read by position; the result still knows the column's name.
    let name = match (idx.as_str(), idx.as_usize()) {
        (Some(name), _) => name.to_owned(),
        (None, Some(i)) => res.column_names().get(*i).cloned().unwrap_or_default(),
        (None, None) => String::new(),
    };
    let found = T::COLUMNS
        .iter()
        .find(|(_, column)| name.ends_with(column) && name.len() >= column.len());
    let (table, column, prefix) = match found {
        Some((table, column)) => (*table, *column, &name[..name.len() - column.len()]),
        None => ("?", name.as_str(), ""),
    };
    let row = ["id", "assignment_id"]
        .iter()
        .find_map(|key| {
            res.try_get::<i64>(prefix, key)
                .ok()
                .map(|id| format!("{key} {id}"))
        })
        .unwrap_or_else(|| "id unknown".to_owned());
    format!(
        "stored value {code:?} in {table}.{column} (row {row}) is not a {}",
        T::NAME
    )
}

macro_rules! stored_enum {
    ($t:ty, $name:literal, [$(($table:literal, $column:literal)),+ $(,)?]) => {
        impl StoredEnum for $t {
            const NAME: &'static str = $name;
            const COLUMNS: &'static [(&'static str, &'static str)] = &[$(($table, $column)),+];
            fn code(self) -> &'static str {
                self.as_str()
            }
            fn from_code(code: &str) -> Option<Self> {
                <$t>::parse(code)
            }
        }
    };
}

stored_enum!(RoundStatus, "RoundStatus", [("round", "status")]);
stored_enum!(
    AssignmentStatus,
    "AssignmentStatus",
    [
        ("assignment_event", "from_status"),
        ("assignment_event", "to_status"),
        ("assignment", "status"),
    ]
);
stored_enum!(AnswerStatus, "AnswerStatus", [("answer", "status")]);
stored_enum!(
    RectificationStatus,
    "RectificationStatus",
    [("rectification", "status")]
);
stored_enum!(
    VersionStatus,
    "VersionStatus",
    [("catalogue_version", "status")]
);
stored_enum!(Grade, "Grade", [("score", "grade")]);
stored_enum!(
    OrgKind,
    "OrgKind",
    [("round_catalogue", "org_kind"), ("org", "kind")]
);
