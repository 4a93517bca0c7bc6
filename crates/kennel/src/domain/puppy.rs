//! The closed vocabularies of a puppy listing and the age groups derived from a
//! birth date.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a closed set of lowercase string values with parsing and listing.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                match value { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted values, for error messages.
            pub fn expected() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

vocabulary!(
    /// Sex of the puppy.
    Sex { Female => "female", Male => "male" }
);
vocabulary!(
    /// Expected adult size.
    Size { Small => "small", Medium => "medium", Large => "large", Giant => "giant" }
);
vocabulary!(
    /// Coat length or type.
    Coat { Hairless => "hairless", Short => "short", Medium => "medium", Long => "long", Wire => "wire", Curly => "curly" }
);
vocabulary!(
    /// Adoption status of a listing.
    Status { Available => "available", Pending => "pending", Adopted => "adopted" }
);
vocabulary!(
    /// Who the puppy is known to get on with.
    GoodWith { Kids => "kids", Dogs => "dogs", Cats => "cats" }
);
vocabulary!(
    /// Age group derived from the birth date: baby (under 6 months), young (6–18
    /// months), adult (18 months to 8 years), senior (8 years and over).
    AgeGroup { Baby => "baby", Young => "young", Adult => "adult", Senior => "senior" }
);
vocabulary!(
    /// Kind of organisation listing puppies.
    OrganizationKind { Shelter => "shelter", Rescue => "rescue", Breeder => "breeder" }
);

impl AgeGroup {
    /// The birth dates that fall in this group on `today`, as `(born_after, born_on_or_before)`:
    /// a puppy is in the group when `born_after < birth_date <= born_on_or_before`.
    pub fn birth_date_range(self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let months_ago = |m: u32| today.checked_sub_months(Months::new(m));
        match self {
            AgeGroup::Baby => (months_ago(6), None),
            AgeGroup::Young => (months_ago(18), months_ago(6)),
            AgeGroup::Adult => (months_ago(96), months_ago(18)),
            AgeGroup::Senior => (None, months_ago(96)),
        }
    }

    pub fn of(birth_date: NaiveDate, today: NaiveDate) -> AgeGroup {
        AgeGroup::ALL
            .iter()
            .copied()
            .find(|group| {
                let (after, on_or_before) = group.birth_date_range(today);
                after.is_none_or(|a| birth_date > a) && on_or_before.is_none_or(|b| birth_date <= b)
            })
            .unwrap_or(AgeGroup::Baby)
    }
}

/// Whole months between a birth date and today (0 for a future date).
pub fn age_in_months(birth_date: NaiveDate, today: NaiveDate) -> u32 {
    if birth_date >= today {
        return 0;
    }
    let mut months = (today.year_ce().1 as i64 - birth_date.year_ce().1 as i64) * 12
        + (today.month0() as i64 - birth_date.month0() as i64);
    if today.day() < birth_date.day() {
        months -= 1;
    }
    months.max(0) as u32
}

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn age_groups_partition_birth_dates() {
        let today = d("2026-11-26");
        assert_eq!(AgeGroup::of(d("2026-10-01"), today), AgeGroup::Baby);
        assert_eq!(AgeGroup::of(d("2026-05-27"), today), AgeGroup::Baby);
        assert_eq!(AgeGroup::of(d("2026-05-26"), today), AgeGroup::Young);
        assert_eq!(AgeGroup::of(d("2025-05-27"), today), AgeGroup::Young);
        assert_eq!(AgeGroup::of(d("2025-05-26"), today), AgeGroup::Adult);
        assert_eq!(AgeGroup::of(d("2018-11-26"), today), AgeGroup::Senior);
    }

    #[test]
    fn age_in_months_counts_whole_months() {
        let today = d("2026-11-26");
        assert_eq!(age_in_months(d("2026-11-01"), today), 0);
        assert_eq!(age_in_months(d("2026-08-26"), today), 3);
        assert_eq!(age_in_months(d("2026-08-27"), today), 2);
        assert_eq!(age_in_months(d("2024-11-26"), today), 24);
    }

    #[test]
    fn vocabularies_round_trip() {
        for size in Size::ALL {
            assert_eq!(Size::parse(size.as_str()), Some(*size));
        }
        assert_eq!(Size::parse("huge"), None);
        assert_eq!(Status::expected(), "available, pending, adopted");
    }
}
