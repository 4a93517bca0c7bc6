/** A few cities to search around without sharing the device's location. */
export type City = { name: string; latitude: number; longitude: number };

export const CITIES: City[] = [
  { name: 'Portland, OR', latitude: 45.5152, longitude: -122.6784 },
  { name: 'Seattle, WA', latitude: 47.6062, longitude: -122.3321 },
  { name: 'San Francisco, CA', latitude: 37.7749, longitude: -122.4194 },
  { name: 'Los Angeles, CA', latitude: 34.0522, longitude: -118.2437 },
  { name: 'Denver, CO', latitude: 39.7392, longitude: -104.9903 },
  { name: 'Austin, TX', latitude: 30.2672, longitude: -97.7431 },
  { name: 'Chicago, IL', latitude: 41.8781, longitude: -87.6298 },
  { name: 'Minneapolis, MN', latitude: 44.9778, longitude: -93.265 },
  { name: 'Atlanta, GA', latitude: 33.749, longitude: -84.388 },
  { name: 'Boston, MA', latitude: 42.3601, longitude: -71.0589 },
  { name: 'New York, NY', latitude: 40.7128, longitude: -74.006 },
  { name: 'Philadelphia, PA', latitude: 39.9526, longitude: -75.1652 },
  { name: 'Miami, FL', latitude: 25.7617, longitude: -80.1918 },
  { name: 'Phoenix, AZ', latitude: 33.4484, longitude: -112.074 },
  { name: 'Salt Lake City, UT', latitude: 40.7608, longitude: -111.891 },
];

export function matchCities(text: string, limit = 5): City[] {
  const needle = text.trim().toLowerCase();
  if (!needle) return [];
  return CITIES.filter((c) => c.name.toLowerCase().includes(needle)).slice(0, limit);
}
