use leptos::prelude::*;

/// What the Runs page and the dashboard show while the library's summaries made by an older
/// build are analysed again from their stored originals: `done` of `total`.
#[component]
pub fn LibraryRefresh(done: usize, total: usize) -> impl IntoView {
    view! {
        <p role="status" class="library-refresh" data-done=done data-total=total>
            {refresh_text(done, total)}
        </p>
    }
}

/// The sentence of [`LibraryRefresh`].
pub fn refresh_text(done: usize, total: usize) -> String {
    format!(
        "Bringing {total} runs up to date with this version of Stride (analysed again from their files): {done} of {total}…"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn says_how_far() {
        assert_eq!(
            super::refresh_text(2, 5),
            "Bringing 5 runs up to date with this version of Stride (analysed again from their files): 2 of 5…"
        );
    }
}
