//! Coordinates, search radii and great-circle distances.
//!
//! Distances use the haversine formula on a sphere of the Earth's mean radius
//! (IUGG, 6371.0088 km): within 0.5% of the ellipsoidal geodesic, which is plenty
//! for "puppies near me". The database computes the very same formula (see
//! `store::browse::distance_sql`), so Rust and SQL agree.

/// Mean Earth radius in kilometres (IUGG).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Default radius when `near` is given without `radius_km`.
pub const DEFAULT_RADIUS_KM: f64 = 50.0;
/// Largest accepted radius: beyond this, "near" stops meaning anything.
pub const MAX_RADIUS_KM: f64 = 1000.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coordinates {
    pub lat: f64,
    pub lng: f64,
}

impl Coordinates {
    /// Parses `"lat,lng"` in decimal degrees.
    pub fn parse(value: &str) -> Result<Coordinates, String> {
        let (lat, lng) = value
            .split_once(',')
            .ok_or_else(|| "expected 'latitude,longitude' in decimal degrees".to_string())?;
        let lat: f64 = lat
            .trim()
            .parse()
            .map_err(|_| format!("latitude '{}' is not a number", lat.trim()))?;
        let lng: f64 = lng
            .trim()
            .parse()
            .map_err(|_| format!("longitude '{}' is not a number", lng.trim()))?;
        Coordinates::new(lat, lng)
    }

    pub fn new(lat: f64, lng: f64) -> Result<Coordinates, String> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err("latitude must be between -90 and 90".into());
        }
        if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
            return Err("longitude must be between -180 and 180".into());
        }
        Ok(Coordinates { lat, lng })
    }
}

/// A search radius in kilometres, within (0, MAX_RADIUS_KM].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RadiusKm(f64);

impl RadiusKm {
    pub fn parse(value: &str) -> Result<RadiusKm, String> {
        let km: f64 = value
            .trim()
            .parse()
            .map_err(|_| format!("'{value}' is not a number"))?;
        if !km.is_finite() || km <= 0.0 || km > MAX_RADIUS_KM {
            return Err(format!(
                "must be greater than 0 and at most {MAX_RADIUS_KM} km"
            ));
        }
        Ok(RadiusKm(km))
    }

    /// A radius of `km`, kept within (0, MAX_RADIUS_KM]: for searches that widen
    /// step by step up to a parsed radius.
    pub fn clamped(km: f64) -> RadiusKm {
        RadiusKm(km.clamp(f64::MIN_POSITIVE, MAX_RADIUS_KM))
    }

    pub fn default_radius() -> RadiusKm {
        RadiusKm(DEFAULT_RADIUS_KM)
    }

    pub fn km(self) -> f64 {
        self.0
    }
}

/// Great-circle distance in kilometres.
pub fn haversine_km(a: Coordinates, b: Coordinates) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = (b.lat - a.lat).to_radians();
    let dlng = (b.lng - a.lng).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlng / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A latitude/longitude box that contains every point within `radius` of
/// `centre`, so the database can narrow candidates with an index before computing
/// exact distances. Longitude bounds are `None` when the box would wrap around a
/// pole or the antimeridian (then only latitude narrows).
pub fn bounding_box(centre: Coordinates, radius: RadiusKm) -> (f64, f64, Option<(f64, f64)>) {
    let dlat = (radius.km() / EARTH_RADIUS_KM).to_degrees();
    let min_lat = centre.lat - dlat;
    let max_lat = centre.lat + dlat;
    if min_lat <= -90.0 || max_lat >= 90.0 {
        return (min_lat.max(-90.0), max_lat.min(90.0), None);
    }
    // The widest longitude span is at the box's latitude farthest from the equator.
    let widest = min_lat.abs().max(max_lat.abs()).to_radians();
    let ratio = (radius.km() / EARTH_RADIUS_KM).sin() / widest.cos();
    if ratio >= 1.0 {
        return (min_lat, max_lat, None);
    }
    let dlng = ratio.asin().to_degrees();
    let (min_lng, max_lng) = (centre.lng - dlng, centre.lng + dlng);
    if min_lng < -180.0 || max_lng > 180.0 {
        return (min_lat, max_lat, None);
    }
    (min_lat, max_lat, Some((min_lng, max_lng)))
}

/// The point reached by travelling `distance_km` from `start` on `bearing_deg`
/// (spherical model). Used by tests and the demo data to place points at known
/// distances.
pub fn destination(start: Coordinates, bearing_deg: f64, distance_km: f64) -> Coordinates {
    let delta = distance_km / EARTH_RADIUS_KM;
    let theta = bearing_deg.to_radians();
    let lat1 = start.lat.to_radians();
    let lng1 = start.lng.to_radians();
    let lat2 = (lat1.sin() * delta.cos() + lat1.cos() * delta.sin() * theta.cos()).asin();
    let lng2 = lng1
        + (theta.sin() * delta.sin() * lat1.cos()).atan2(delta.cos() - lat1.sin() * lat2.sin());
    let lng = (lng2.to_degrees() + 540.0) % 360.0 - 180.0;
    Coordinates {
        lat: lat2.to_degrees(),
        lng,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_the_geodesic_between_known_cities() {
        // Ellipsoidal (WGS84) geodesic distances, from Karney's algorithm.
        let london = Coordinates::new(51.5074, -0.1278).unwrap();
        let paris = Coordinates::new(48.8566, 2.3522).unwrap();
        let d = haversine_km(london, paris);
        assert!((d - 343.9).abs() / 343.9 < 0.005, "{d}");
        let nyc = Coordinates::new(40.7128, -74.0060).unwrap();
        let la = Coordinates::new(34.0522, -118.2437).unwrap();
        let d = haversine_km(nyc, la);
        assert!((d - 3944.0).abs() / 3944.0 < 0.005, "{d}");
    }

    #[test]
    fn destination_is_at_the_requested_distance() {
        let start = Coordinates::new(45.5152, -122.6784).unwrap();
        for bearing in [0.0, 45.0, 90.0, 180.0, 270.0] {
            let end = destination(start, bearing, 25.0);
            assert!((haversine_km(start, end) - 25.0).abs() < 1e-6);
        }
    }

    #[test]
    fn bounding_box_contains_the_circle() {
        let centre = Coordinates::new(60.0, 10.0).unwrap();
        let radius = RadiusKm::parse("100").unwrap();
        let (min_lat, max_lat, lng) = bounding_box(centre, radius);
        let (min_lng, max_lng) = lng.unwrap();
        for bearing in (0..360).step_by(5) {
            let p = destination(centre, bearing as f64, 99.99);
            assert!(p.lat >= min_lat && p.lat <= max_lat, "{p:?}");
            assert!(p.lng >= min_lng && p.lng <= max_lng, "{p:?}");
        }
    }

    #[test]
    fn coordinates_and_radius_reject_out_of_range_values() {
        assert!(Coordinates::parse("91,0").is_err());
        assert!(Coordinates::parse("0,181").is_err());
        assert!(Coordinates::parse("abc").is_err());
        assert!(Coordinates::parse("NaN,0").is_err());
        assert!(RadiusKm::parse("0").is_err());
        assert!(RadiusKm::parse("1001").is_err());
        assert!(RadiusKm::parse("inf").is_err());
        assert_eq!(RadiusKm::parse("12.5").unwrap().km(), 12.5);
    }
}
