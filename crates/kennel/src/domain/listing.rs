//! A puppy listing's own fields and the rules they follow: what a new listing
//! must have, what each field may hold, what defaults from its breed, and which
//! status changes are allowed. `merge` applies a change to a listing (or builds
//! a new one) and reports every field at fault at once; what it returns is valid.

use chrono::NaiveDate;
use uuid::Uuid;

use super::puppy::{Coat, Sex, Size, Status};
use super::text::{self, Lines};
use super::FieldError;

/// The most characters of a name, a colour and a description.
pub const NAME_MAX: usize = 60;
pub const COLOUR_MAX: usize = 40;
pub const DESCRIPTION_MAX: usize = 5000;
/// The highest adoption fee, in cents.
pub const FEE_MAX_CENTS: i64 = 10_000_000;
/// How far back a birth date may be.
const OLDEST_YEARS: u32 = 30;
const DEFAULT_CURRENCY: &str = "USD";

/// Every field of a listing that its staff set, valid by construction when it
/// comes from `merge` or from the store.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct ListingFields {
    pub name: String,
    pub breed_id: Uuid,
    pub secondary_breed_id: Option<Uuid>,
    pub mixed: bool,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub size: Size,
    pub coat: Coat,
    pub colour: String,
    pub good_with_kids: Option<bool>,
    pub good_with_dogs: Option<bool>,
    pub good_with_cats: Option<bool>,
    pub house_trained: bool,
    pub vaccinated: bool,
    pub neutered: bool,
    pub description: String,
    pub fee_cents: i64,
    pub currency: String,
    pub status: Status,
}

/// A breed as a listing uses it: its id, and the size and coat a listing takes
/// when none is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breed {
    pub id: Uuid,
    pub size: Size,
    pub coat: Coat,
}

/// A breed named by a change: looked up before `merge`, which reports an
/// unknown one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreedChoice {
    Known(Breed),
    /// No breed has this slug.
    Unknown(String),
}

/// What a change says about the secondary breed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SecondaryBreed {
    /// Not mentioned: stays as it is.
    #[default]
    Unchanged,
    /// Removed (`null`).
    Cleared,
    Set(BreedChoice),
}

/// A change to a listing, or a new listing: `None` leaves a field as it is
/// (and is an error on create for the required fields).
#[derive(Debug, Clone, Default)]
pub struct ListingChange {
    pub name: Option<String>,
    pub breed: Option<BreedChoice>,
    pub secondary_breed: SecondaryBreed,
    pub mixed: Option<bool>,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub size: Option<Size>,
    pub coat: Option<Coat>,
    pub colour: Option<String>,
    /// Replaces all three answers (kids, dogs, cats) together.
    pub good_with: Option<(Option<bool>, Option<bool>, Option<bool>)>,
    pub house_trained: Option<bool>,
    pub vaccinated: Option<bool>,
    pub neutered: Option<bool>,
    pub description: Option<String>,
    pub fee_cents: Option<i64>,
    pub currency: Option<String>,
    pub status: Option<Status>,
}

/// Whether a listing may go from `from` to `to`: any change but adopted →
/// pending (a returned puppy is listed as available again).
pub fn may_change_status(from: Status, to: Status) -> bool {
    from == to || !matches!((from, to), (Status::Adopted, Status::Pending))
}

/// A text field of a change: cleaned when given (an `optional` one may be left
/// empty), the base's when not.
fn text_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: Option<&str>,
    max: usize,
    lines: Lines,
    optional: bool,
    kept: Option<&String>,
) -> String {
    let Some(value) = value else {
        return kept.cloned().unwrap_or_default();
    };
    let cleaned = if optional {
        text::clean_optional(value, max, lines)
    } else {
        text::clean(value, max, lines)
    };
    cleaned.unwrap_or_else(|message| {
        errors.push(FieldError::new(field, message));
        String::new()
    })
}

/// Applies `change` to `base`, or builds a new listing from it when `base` is
/// `None`, as of `today`; every bad field is reported.
pub fn merge(
    base: Option<&ListingFields>,
    change: ListingChange,
    today: NaiveDate,
) -> Result<ListingFields, Vec<FieldError>> {
    let mut errors = Vec::new();
    if base.is_none() {
        let required = [
            ("name", change.name.is_none()),
            ("breed", change.breed.is_none()),
            ("sex", change.sex.is_none()),
            ("birth_date", change.birth_date.is_none()),
            ("colour", change.colour.is_none()),
            ("adoption_fee_cents", change.fee_cents.is_none()),
        ];
        for (field, missing) in required {
            if missing {
                errors.push(FieldError::new(field, "is required"));
            }
        }
    }

    let name = text_field(
        &mut errors,
        "name",
        change.name.as_deref(),
        NAME_MAX,
        Lines::One,
        false,
        base.map(|b| &b.name),
    );

    let breed = match change.breed {
        Some(BreedChoice::Known(breed)) => Some(breed),
        Some(BreedChoice::Unknown(slug)) => {
            errors.push(FieldError::new(
                "breed",
                format!("'{slug}' is not a known breed slug (see GET /v1/breeds)"),
            ));
            None
        }
        None => None,
    };
    let secondary_breed_id = match change.secondary_breed {
        SecondaryBreed::Unchanged => base.and_then(|b| b.secondary_breed_id),
        SecondaryBreed::Cleared => None,
        SecondaryBreed::Set(BreedChoice::Known(breed)) => Some(breed.id),
        SecondaryBreed::Set(BreedChoice::Unknown(slug)) => {
            errors.push(FieldError::new(
                "secondary_breed",
                format!("'{slug}' is not a known breed slug"),
            ));
            None
        }
    };

    let birth_date = change
        .birth_date
        .or(base.map(|b| b.birth_date))
        .unwrap_or(today);
    if birth_date > today {
        errors.push(FieldError::new("birth_date", "must not be in the future"));
    }
    if today.years_since(birth_date).unwrap_or(0) > OLDEST_YEARS {
        errors.push(FieldError::new(
            "birth_date",
            format!("must be within the last {OLDEST_YEARS} years"),
        ));
    }

    let colour = text_field(
        &mut errors,
        "colour",
        change.colour.as_deref(),
        COLOUR_MAX,
        Lines::One,
        false,
        base.map(|b| &b.colour),
    );
    let description = text_field(
        &mut errors,
        "description",
        change.description.as_deref(),
        DESCRIPTION_MAX,
        Lines::Many,
        true,
        base.map(|b| &b.description),
    );

    let fee_cents = change.fee_cents.or(base.map(|b| b.fee_cents)).unwrap_or(0);
    if !(0..=FEE_MAX_CENTS).contains(&fee_cents) {
        errors.push(FieldError::new(
            "adoption_fee_cents",
            format!("must be between 0 and {FEE_MAX_CENTS}"),
        ));
    }
    let currency = change
        .currency
        .as_deref()
        .map(|c| c.trim().to_ascii_uppercase())
        .or(base.map(|b| b.currency.clone()))
        .unwrap_or_else(|| DEFAULT_CURRENCY.into());
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        errors.push(FieldError::new(
            "currency",
            "must be a three-letter ISO 4217 code",
        ));
    }

    let status = change
        .status
        .or(base.map(|b| b.status))
        .unwrap_or(Status::Available);
    if let Some(from) = base.map(|b| b.status) {
        if !may_change_status(from, status) {
            errors.push(FieldError::new(
                "status",
                format!(
                    "cannot change from {} to {}",
                    from.as_str(),
                    status.as_str()
                ),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let (good_with_kids, good_with_dogs, good_with_cats) = change
        .good_with
        .or(base.map(|b| (b.good_with_kids, b.good_with_dogs, b.good_with_cats)))
        .unwrap_or((None, None, None));
    let kept = |field: fn(&ListingFields) -> bool| base.is_some_and(field);
    Ok(ListingFields {
        breed_id: breed
            .map(|b| b.id)
            .or(base.map(|b| b.breed_id))
            .unwrap_or_default(),
        mixed: change.mixed.unwrap_or_else(|| kept(|b| b.mixed)) || secondary_breed_id.is_some(),
        secondary_breed_id,
        // Required on create, so only a change keeps the base's.
        sex: change.sex.or(base.map(|b| b.sex)).unwrap_or(Sex::Female),
        size: change
            .size
            .or(breed.map(|b| b.size))
            .or(base.map(|b| b.size))
            .unwrap_or(Size::Medium),
        coat: change
            .coat
            .or(breed.map(|b| b.coat))
            .or(base.map(|b| b.coat))
            .unwrap_or(Coat::Short),
        house_trained: change
            .house_trained
            .unwrap_or_else(|| kept(|b| b.house_trained)),
        vaccinated: change.vaccinated.unwrap_or_else(|| kept(|b| b.vaccinated)),
        neutered: change.neutered.unwrap_or_else(|| kept(|b| b.neutered)),
        good_with_kids,
        good_with_dogs,
        good_with_cats,
        name,
        birth_date,
        colour,
        description,
        fee_cents,
        currency,
        status,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    fn beagle() -> Breed {
        Breed {
            id: Uuid::from_u128(1),
            size: Size::Small,
            coat: Coat::Short,
        }
    }

    fn new_listing() -> ListingChange {
        ListingChange {
            name: Some("  Biscuit ".into()),
            breed: Some(BreedChoice::Known(beagle())),
            sex: Some(Sex::Male),
            birth_date: Some(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            colour: Some("tan".into()),
            fee_cents: Some(15_000),
            ..ListingChange::default()
        }
    }

    fn fields_at_fault(result: Result<ListingFields, Vec<FieldError>>) -> Vec<String> {
        result
            .expect_err("the change should be refused")
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn a_new_listing_takes_its_breeds_size_and_coat_and_sensible_defaults() {
        let listing = merge(None, new_listing(), today()).unwrap();
        assert_eq!(listing.name, "Biscuit");
        assert_eq!((listing.size, listing.coat), (Size::Small, Coat::Short));
        assert_eq!(listing.status, Status::Available);
        assert_eq!(listing.currency, "USD");
        assert!(!listing.mixed && !listing.vaccinated);
    }

    #[test]
    fn a_new_listing_names_every_missing_and_bad_field_at_once() {
        let change = ListingChange {
            breed: Some(BreedChoice::Unknown("beagel".into())),
            fee_cents: Some(-1),
            currency: Some("dollars".into()),
            ..ListingChange::default()
        };
        assert_eq!(
            fields_at_fault(merge(None, change, today())),
            [
                "name",
                "sex",
                "birth_date",
                "colour",
                "breed",
                "adoption_fee_cents",
                "currency"
            ]
        );
    }

    #[test]
    fn birth_dates_are_neither_in_the_future_nor_over_thirty_years_back() {
        for date in [(2026, 6, 2), (1995, 1, 1)] {
            let change = ListingChange {
                birth_date: NaiveDate::from_ymd_opt(date.0, date.1, date.2),
                ..new_listing()
            };
            assert_eq!(
                fields_at_fault(merge(None, change, today())),
                ["birth_date"]
            );
        }
    }

    #[test]
    fn an_adopted_puppy_can_be_listed_again_but_not_put_on_hold() {
        let mut adopted = merge(None, new_listing(), today()).unwrap();
        adopted.status = Status::Adopted;
        let to = |status| ListingChange {
            status: Some(status),
            ..ListingChange::default()
        };
        assert_eq!(
            fields_at_fault(merge(Some(&adopted), to(Status::Pending), today())),
            ["status"]
        );
        let relisted = merge(Some(&adopted), to(Status::Available), today()).unwrap();
        assert_eq!(relisted.status, Status::Available);
        assert_eq!(relisted.name, "Biscuit", "unchanged fields are kept");
    }

    #[test]
    fn a_secondary_breed_makes_a_mix_and_clearing_it_keeps_the_mix_as_stated() {
        let base = merge(None, new_listing(), today()).unwrap();
        let crossed = merge(
            Some(&base),
            ListingChange {
                secondary_breed: SecondaryBreed::Set(BreedChoice::Known(Breed {
                    id: Uuid::from_u128(2),
                    ..beagle()
                })),
                ..ListingChange::default()
            },
            today(),
        )
        .unwrap();
        assert!(crossed.mixed);
        let cleared = merge(
            Some(&crossed),
            ListingChange {
                secondary_breed: SecondaryBreed::Cleared,
                mixed: Some(false),
                ..ListingChange::default()
            },
            today(),
        )
        .unwrap();
        assert_eq!((cleared.secondary_breed_id, cleared.mixed), (None, false));
    }
}
