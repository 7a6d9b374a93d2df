//! Where the run page's map takes its background from: a raster tile source the self-hoster
//! chooses (OpenStreetMap's by default), its attribution, and its deepest zoom.
//!
//! The server puts the source in the page's `<head>` (`<meta name="stride-map-tiles">` and
//! friends, see [`MapTiles::META`]); the page reads it back there, so the same built site serves
//! any source, and a server started with `--map-tiles none` shows routes without tiles (no
//! request leaves the runner's browser for a third party).

/// A raster tile source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapTiles {
    /// The tile address with `{z}`, `{x}` and `{y}` (and optionally `{s}`, `{r}`) in it.
    pub url: String,
    /// Shown in the map's corner, as the source's licence asks (HTML: a link is allowed).
    pub attribution: String,
    /// The deepest zoom level the source serves.
    pub max_zoom: u8,
}

/// Why a tile source given to the server was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapTilesError {
    /// Not an `http(s)://` address.
    #[error("the map tile address must start with https:// or http:// (or be \"none\"): {0}")]
    NotHttp(String),
    /// A placeholder is missing.
    #[error("the map tile address must hold {{z}}, {{x}} and {{y}}: {0}")]
    Placeholders(String),
    /// A zoom past what any raster source has.
    #[error("the deepest map zoom must be 1 to 22, not {0}")]
    MaxZoom(u8),
}

impl MapTiles {
    /// OpenStreetMap's standard tiles (usage policy: https://operations.osmfoundation.org/policies/tiles/).
    pub const OPENSTREETMAP_URL: &'static str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    /// The attribution OpenStreetMap's licence asks for, linking to its copyright page.
    pub const OPENSTREETMAP_ATTRIBUTION: &'static str =
        "&copy; <a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a> contributors";
    /// The names of the `<meta>` elements carrying `url`, `attribution` and `max_zoom`.
    pub const META: [&'static str; 3] = [
        "stride-map-tiles",
        "stride-map-attribution",
        "stride-map-max-zoom",
    ];

    /// OpenStreetMap's tiles, zoom 0 to 19.
    pub fn openstreetmap() -> Self {
        Self {
            url: Self::OPENSTREETMAP_URL.into(),
            attribution: Self::OPENSTREETMAP_ATTRIBUTION.into(),
            max_zoom: 19,
        }
    }

    /// The source a server was started with: `None` for `none` (routes without tiles). Without
    /// an attribution, OpenStreetMap's: most raster tiles are drawn from its data.
    ///
    /// ```
    /// use app::models::map_tiles::MapTiles;
    /// let own = MapTiles::configure("https://tiles.example.org/{z}/{x}/{y}.png", None, 18);
    /// assert_eq!(own.unwrap().unwrap().attribution, MapTiles::OPENSTREETMAP_ATTRIBUTION);
    /// assert_eq!(MapTiles::configure("none", None, 19), Ok(None));
    /// assert!(MapTiles::configure("https://tiles.example.org/{z}/{x}.png", None, 19).is_err());
    /// ```
    pub fn configure(
        url: &str,
        attribution: Option<&str>,
        max_zoom: u8,
    ) -> Result<Option<Self>, MapTilesError> {
        let url = url.trim();
        if url.eq_ignore_ascii_case("none") {
            return Ok(None);
        }
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(MapTilesError::NotHttp(url.into()));
        }
        if !["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p)) {
            return Err(MapTilesError::Placeholders(url.into()));
        }
        if !(1..=22).contains(&max_zoom) {
            return Err(MapTilesError::MaxZoom(max_zoom));
        }
        Ok(Some(Self {
            url: url.into(),
            attribution: attribution
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .unwrap_or(Self::OPENSTREETMAP_ATTRIBUTION)
                .into(),
            max_zoom,
        }))
    }

    /// The `<meta>` contents, in the order of [`MapTiles::META`].
    pub fn meta_contents(&self) -> [String; 3] {
        [
            self.url.clone(),
            self.attribution.clone(),
            self.max_zoom.to_string(),
        ]
    }

    /// Reads a source back from the `<meta>` contents; `None` when the page names none.
    pub fn from_meta_contents(
        url: Option<String>,
        attribution: Option<String>,
        max_zoom: Option<String>,
    ) -> Option<Self> {
        let url = url.filter(|u| !u.is_empty())?;
        Some(Self {
            url,
            attribution: attribution.unwrap_or_default(),
            max_zoom: max_zoom.and_then(|z| z.parse().ok()).unwrap_or(18),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_round_trips_through_the_page_head() {
        let osm = MapTiles::openstreetmap();
        let [url, attribution, zoom] = osm.meta_contents();
        assert_eq!(
            MapTiles::from_meta_contents(Some(url), Some(attribution), Some(zoom)),
            Some(osm)
        );
        assert_eq!(MapTiles::from_meta_contents(None, None, None), None);
    }

    #[test]
    fn bad_sources_are_refused_with_the_reason() {
        assert_eq!(
            MapTiles::configure("ftp://x/{z}/{x}/{y}", None, 19),
            Err(MapTilesError::NotHttp("ftp://x/{z}/{x}/{y}".into()))
        );
        assert!(matches!(
            MapTiles::configure("https://x/{z}/{x}/{y}.png", None, 30),
            Err(MapTilesError::MaxZoom(30))
        ));
        let own = MapTiles::configure("https://x/{z}/{x}/{y}.png", Some("© Us"), 17)
            .unwrap()
            .unwrap();
        assert_eq!((own.attribution.as_str(), own.max_zoom), ("© Us", 17));
    }
}
