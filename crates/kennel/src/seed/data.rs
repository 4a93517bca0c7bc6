//! The fixed vocabulary of the demo data set: breeds, organisations in real
//! cities, names and colours.

pub struct BreedSeed {
    pub slug: &'static str,
    pub name: &'static str,
    pub group: &'static str,
    pub size: &'static str,
    pub coat: &'static str,
    pub temperament: [&'static str; 3],
}

macro_rules! breeds {
    ($(($slug:literal, $name:literal, $group:literal, $size:literal, $coat:literal, [$t1:literal, $t2:literal, $t3:literal])),+ $(,)?) => {
        &[$(BreedSeed { slug: $slug, name: $name, group: $group, size: $size, coat: $coat, temperament: [$t1, $t2, $t3] }),+]
    };
}

pub const BREEDS: &[BreedSeed] = breeds![
    (
        "labrador-retriever",
        "Labrador Retriever",
        "Sporting",
        "large",
        "short",
        ["friendly", "outgoing", "active"]
    ),
    (
        "golden-retriever",
        "Golden Retriever",
        "Sporting",
        "large",
        "long",
        ["friendly", "intelligent", "devoted"]
    ),
    (
        "german-shepherd",
        "German Shepherd",
        "Herding",
        "large",
        "medium",
        ["confident", "courageous", "smart"]
    ),
    (
        "french-bulldog",
        "French Bulldog",
        "Non-Sporting",
        "small",
        "short",
        ["adaptable", "playful", "smart"]
    ),
    (
        "bulldog",
        "Bulldog",
        "Non-Sporting",
        "medium",
        "short",
        ["calm", "courageous", "friendly"]
    ),
    (
        "poodle",
        "Poodle",
        "Non-Sporting",
        "medium",
        "curly",
        ["active", "proud", "very smart"]
    ),
    (
        "miniature-poodle",
        "Miniature Poodle",
        "Non-Sporting",
        "small",
        "curly",
        ["alert", "smart", "trainable"]
    ),
    (
        "beagle",
        "Beagle",
        "Hound",
        "small",
        "short",
        ["curious", "friendly", "merry"]
    ),
    (
        "rottweiler",
        "Rottweiler",
        "Working",
        "large",
        "short",
        ["loyal", "loving", "confident guardian"]
    ),
    (
        "dachshund",
        "Dachshund",
        "Hound",
        "small",
        "short",
        ["friendly", "curious", "spunky"]
    ),
    (
        "pembroke-welsh-corgi",
        "Pembroke Welsh Corgi",
        "Herding",
        "small",
        "medium",
        ["affectionate", "smart", "alert"]
    ),
    (
        "australian-shepherd",
        "Australian Shepherd",
        "Herding",
        "medium",
        "medium",
        ["smart", "work-oriented", "exuberant"]
    ),
    (
        "yorkshire-terrier",
        "Yorkshire Terrier",
        "Toy",
        "small",
        "long",
        ["affectionate", "sprightly", "tomboyish"]
    ),
    (
        "boxer",
        "Boxer",
        "Working",
        "large",
        "short",
        ["fun-loving", "bright", "active"]
    ),
    (
        "cavalier-king-charles-spaniel",
        "Cavalier King Charles Spaniel",
        "Toy",
        "small",
        "long",
        ["affectionate", "graceful", "gentle"]
    ),
    (
        "doberman-pinscher",
        "Doberman Pinscher",
        "Working",
        "large",
        "short",
        ["loyal", "fearless", "alert"]
    ),
    (
        "great-dane",
        "Great Dane",
        "Working",
        "giant",
        "short",
        ["friendly", "patient", "dependable"]
    ),
    (
        "miniature-schnauzer",
        "Miniature Schnauzer",
        "Terrier",
        "small",
        "wire",
        ["friendly", "smart", "obedient"]
    ),
    (
        "siberian-husky",
        "Siberian Husky",
        "Working",
        "medium",
        "medium",
        ["loyal", "mischievous", "outgoing"]
    ),
    (
        "bernese-mountain-dog",
        "Bernese Mountain Dog",
        "Working",
        "giant",
        "long",
        ["good-natured", "calm", "strong"]
    ),
    (
        "shih-tzu",
        "Shih Tzu",
        "Toy",
        "small",
        "long",
        ["affectionate", "playful", "outgoing"]
    ),
    (
        "boston-terrier",
        "Boston Terrier",
        "Non-Sporting",
        "small",
        "short",
        ["friendly", "bright", "amusing"]
    ),
    (
        "pomeranian",
        "Pomeranian",
        "Toy",
        "small",
        "long",
        ["inquisitive", "bold", "lively"]
    ),
    (
        "havanese",
        "Havanese",
        "Toy",
        "small",
        "long",
        ["intelligent", "outgoing", "funny"]
    ),
    (
        "shetland-sheepdog",
        "Shetland Sheepdog",
        "Herding",
        "small",
        "long",
        ["playful", "energetic", "bright"]
    ),
    (
        "brittany",
        "Brittany",
        "Sporting",
        "medium",
        "medium",
        ["bright", "fun-loving", "upbeat"]
    ),
    (
        "english-springer-spaniel",
        "English Springer Spaniel",
        "Sporting",
        "medium",
        "medium",
        ["friendly", "playful", "obedient"]
    ),
    (
        "cocker-spaniel",
        "Cocker Spaniel",
        "Sporting",
        "medium",
        "long",
        ["gentle", "smart", "happy"]
    ),
    (
        "border-collie",
        "Border Collie",
        "Herding",
        "medium",
        "medium",
        ["affectionate", "smart", "energetic"]
    ),
    (
        "vizsla",
        "Vizsla",
        "Sporting",
        "medium",
        "short",
        ["affectionate", "gentle", "energetic"]
    ),
    (
        "weimaraner",
        "Weimaraner",
        "Sporting",
        "large",
        "short",
        ["friendly", "fearless", "obedient"]
    ),
    (
        "basset-hound",
        "Basset Hound",
        "Hound",
        "medium",
        "short",
        ["patient", "low-key", "charming"]
    ),
    (
        "newfoundland",
        "Newfoundland",
        "Working",
        "giant",
        "long",
        ["sweet", "patient", "devoted"]
    ),
    (
        "collie",
        "Collie",
        "Herding",
        "large",
        "long",
        ["devoted", "graceful", "proud"]
    ),
    (
        "maltese",
        "Maltese",
        "Toy",
        "small",
        "long",
        ["gentle", "playful", "charming"]
    ),
    (
        "chihuahua",
        "Chihuahua",
        "Toy",
        "small",
        "short",
        ["charming", "graceful", "sassy"]
    ),
    (
        "pug",
        "Pug",
        "Toy",
        "small",
        "short",
        ["charming", "mischievous", "loving"]
    ),
    (
        "bichon-frise",
        "Bichon Frise",
        "Non-Sporting",
        "small",
        "curly",
        ["playful", "curious", "peppy"]
    ),
    (
        "whippet",
        "Whippet",
        "Hound",
        "medium",
        "short",
        ["affectionate", "playful", "calm"]
    ),
    (
        "greyhound",
        "Greyhound",
        "Hound",
        "large",
        "short",
        ["gentle", "independent", "noble"]
    ),
    (
        "jack-russell-terrier",
        "Jack Russell Terrier",
        "Terrier",
        "small",
        "wire",
        ["alert", "inquisitive", "lively"]
    ),
    (
        "west-highland-white-terrier",
        "West Highland White Terrier",
        "Terrier",
        "small",
        "wire",
        ["loyal", "happy", "entertaining"]
    ),
    (
        "staffordshire-bull-terrier",
        "Staffordshire Bull Terrier",
        "Terrier",
        "medium",
        "short",
        ["clever", "brave", "tenacious"]
    ),
    (
        "akita",
        "Akita",
        "Working",
        "large",
        "medium",
        ["courageous", "dignified", "profoundly loyal"]
    ),
    (
        "shiba-inu",
        "Shiba Inu",
        "Non-Sporting",
        "small",
        "medium",
        ["alert", "active", "attentive"]
    ),
    (
        "portuguese-water-dog",
        "Portuguese Water Dog",
        "Working",
        "medium",
        "curly",
        ["affectionate", "adventurous", "athletic"]
    ),
    (
        "xoloitzcuintli",
        "Xoloitzcuintli",
        "Non-Sporting",
        "medium",
        "hairless",
        ["loyal", "alert", "calm"]
    ),
    (
        "mixed-breed",
        "Mixed Breed",
        "Mixed",
        "medium",
        "short",
        ["unique", "loving", "adaptable"]
    ),
];

pub struct OrganizationSeed {
    pub slug: &'static str,
    pub name: &'static str,
    pub kind: &'static str,
    pub city: &'static str,
    pub region: &'static str,
    pub country: &'static str,
    pub latitude: f64,
    pub longitude: f64,
    pub currency: &'static str,
}

macro_rules! orgs {
    ($(($slug:literal, $name:literal, $kind:literal, $city:literal, $region:literal, $country:literal, $lat:literal, $lng:literal, $cur:literal)),+ $(,)?) => {
        &[$(OrganizationSeed { slug: $slug, name: $name, kind: $kind, city: $city, region: $region, country: $country, latitude: $lat, longitude: $lng, currency: $cur }),+]
    };
}

pub const ORGANIZATIONS: &[OrganizationSeed] = orgs![
    (
        "rose-city-dog-rescue",
        "Rose City Dog Rescue",
        "rescue",
        "Portland",
        "OR",
        "US",
        45.5152,
        -122.6784,
        "USD"
    ),
    (
        "willamette-humane-society",
        "Willamette Humane Society",
        "shelter",
        "Salem",
        "OR",
        "US",
        44.9429,
        -123.0351,
        "USD"
    ),
    (
        "puget-sound-paws",
        "Puget Sound Paws",
        "shelter",
        "Seattle",
        "WA",
        "US",
        47.6062,
        -122.3321,
        "USD"
    ),
    (
        "bay-area-puppy-project",
        "Bay Area Puppy Project",
        "rescue",
        "San Francisco",
        "CA",
        "US",
        37.7749,
        -122.4194,
        "USD"
    ),
    (
        "sunset-boulevard-shelter",
        "Sunset Boulevard Shelter",
        "shelter",
        "Los Angeles",
        "CA",
        "US",
        34.0522,
        -118.2437,
        "USD"
    ),
    (
        "front-range-retrievers",
        "Front Range Retrievers",
        "breeder",
        "Denver",
        "CO",
        "US",
        39.7392,
        -104.9903,
        "USD"
    ),
    (
        "hill-country-hounds",
        "Hill Country Hounds",
        "rescue",
        "Austin",
        "TX",
        "US",
        30.2672,
        -97.7431,
        "USD"
    ),
    (
        "lakeshore-animal-shelter",
        "Lakeshore Animal Shelter",
        "shelter",
        "Chicago",
        "IL",
        "US",
        41.8781,
        -87.6298,
        "USD"
    ),
    (
        "north-star-rescue",
        "North Star Rescue",
        "rescue",
        "Minneapolis",
        "MN",
        "US",
        44.9778,
        -93.2650,
        "USD"
    ),
    (
        "harbor-paws-boston",
        "Harbor Paws Boston",
        "shelter",
        "Boston",
        "MA",
        "US",
        42.3601,
        -71.0589,
        "USD"
    ),
    (
        "five-boroughs-dog-rescue",
        "Five Boroughs Dog Rescue",
        "rescue",
        "New York",
        "NY",
        "US",
        40.7128,
        -74.0060,
        "USD"
    ),
    (
        "peachtree-pups",
        "Peachtree Pups",
        "breeder",
        "Atlanta",
        "GA",
        "US",
        33.7490,
        -84.3880,
        "USD"
    ),
    (
        "biscayne-bay-shelter",
        "Biscayne Bay Shelter",
        "shelter",
        "Miami",
        "FL",
        "US",
        25.7617,
        -80.1918,
        "USD"
    ),
    (
        "don-valley-dog-rescue",
        "Don Valley Dog Rescue",
        "rescue",
        "Toronto",
        "ON",
        "CA",
        43.6532,
        -79.3832,
        "CAD"
    ),
    (
        "thames-side-rehoming",
        "Thames Side Rehoming",
        "shelter",
        "London",
        "England",
        "GB",
        51.5074,
        -0.1278,
        "GBP"
    ),
];

pub const NAMES: &[&str] = &[
    "Bella", "Max", "Luna", "Charlie", "Daisy", "Milo", "Lucy", "Cooper", "Bailey", "Rocky",
    "Sadie", "Teddy", "Molly", "Buddy", "Stella", "Bear", "Lola", "Duke", "Zoe", "Tucker", "Penny",
    "Oliver", "Rosie", "Winston", "Ruby", "Murphy", "Nala", "Gus", "Pepper", "Finn", "Hazel",
    "Louie", "Willow", "Jack", "Maple", "Ziggy", "Olive", "Biscuit", "Poppy", "Otis", "Honey",
    "Ollie", "Mochi", "Scout", "Ginger", "Bruno", "Clover", "Rex", "Juniper", "Koda", "Pumpkin",
    "Ranger", "Hazelnut", "Archie", "Pebbles", "Benji", "Coco", "Harley", "Sunny", "Apollo",
    "Nutmeg", "Waffles", "Pippa", "Jasper", "Fern", "Bodhi", "Marley", "Tilly", "Boomer", "Cleo",
    "Dexter", "Indie", "Fudge", "Sage", "Moose", "Lady", "Wally", "Frankie", "Peanut", "Zeus",
];

/// Coat colours; each is also a palette for the generated photos.
pub struct Palette {
    pub name: &'static str,
    pub coat: [u8; 3],
    pub ears: [u8; 3],
    pub patch: Option<[u8; 3]>,
}

pub const PALETTES: &[Palette] = &[
    Palette {
        name: "black",
        coat: [38, 36, 40],
        ears: [20, 19, 22],
        patch: None,
    },
    Palette {
        name: "chocolate",
        coat: [105, 62, 36],
        ears: [78, 44, 25],
        patch: None,
    },
    Palette {
        name: "golden",
        coat: [218, 165, 80],
        ears: [190, 130, 55],
        patch: None,
    },
    Palette {
        name: "cream",
        coat: [240, 222, 190],
        ears: [222, 196, 158],
        patch: None,
    },
    Palette {
        name: "white",
        coat: [246, 244, 238],
        ears: [230, 224, 214],
        patch: None,
    },
    Palette {
        name: "red",
        coat: [176, 82, 40],
        ears: [140, 60, 28],
        patch: None,
    },
    Palette {
        name: "grey",
        coat: [140, 142, 150],
        ears: [104, 106, 116],
        patch: None,
    },
    Palette {
        name: "black and white",
        coat: [246, 244, 238],
        ears: [38, 36, 40],
        patch: Some([38, 36, 40]),
    },
    Palette {
        name: "tan",
        coat: [200, 150, 100],
        ears: [160, 112, 70],
        patch: None,
    },
    Palette {
        name: "brindle",
        coat: [120, 84, 52],
        ears: [70, 48, 30],
        patch: Some([70, 48, 30]),
    },
    Palette {
        name: "blue merle",
        coat: [160, 166, 180],
        ears: [60, 62, 72],
        patch: Some([60, 62, 72]),
    },
    Palette {
        name: "tricolour",
        coat: [246, 244, 238],
        ears: [38, 36, 40],
        patch: Some([170, 100, 50]),
    },
];
