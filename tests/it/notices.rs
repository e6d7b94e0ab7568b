//! The banner of a meeting known only from its notice: it says that the
//! proposals below are not adopted only when the notice has proposals.

use std::path::Path;

use crate::support::{build, text};

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join("content").join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const NOT_ADOPTED: &str = "Forslagene til vedtak nedenfor er ikke vedtatt";

#[test]
fn the_banner_speaks_of_proposals_only_when_the_notice_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "bodies.yaml",
        "- id: vannomradeutvalget\n  name: Vannområdeutvalget for Glomma sør\n",
    );
    write(
        root,
        "municipalities.yaml",
        "- id: sarpsborg\n  name: Sarpsborg\n",
    );
    // A notice with proposals, and one with only briefings.
    write(
        root,
        "meetings/2024/2024-09-12-vannomradeutvalget-innkalling.md",
        "---\nbody: vannomradeutvalget\ndocument: notice\ndate: 2024-09-12\nplace: Sarpsborg rådhus\n---\n\
         ## Sak 11/2024 Regional vannforvaltningsplan – høring\n\n\
         Fylkeskommunen har sendt planen på høring med frist 1. november.\n\n\
         ### Forslag til vedtak\n\nUtvalget gir sin tilslutning til høringsuttalelsen.\n",
    );
    write(
        root,
        "meetings/2024/2024-11-28-vannomradeutvalget-innkalling.md",
        "---\nbody: vannomradeutvalget\ndocument: notice\ndate: 2024-11-28\nplace: Sarpsborg rådhus\n---\n\
         ## Sak 14/2024 Orientering om tiltaksovervåking\n\n\
         Vannområdekoordinator orienterer om prøvetakingen i 2024.\n\n\
         ## Sak 15/2024 Møteplan for 2025\n\nUtkast til møteplan legges fram i møtet.\n",
    );
    let b = build(root);
    assert!(b.success, "{}", b.stderr);
    for page in ["", "innkalling/"] {
        let with = text(&b.page(&format!(
            "moter/2024-09-12-vannomradeutvalget/{page}index.html"
        )));
        assert!(
            with.contains(&format!(
                "Dette er innkallingen til møtet. Referatet er ikke publisert ennå. {NOT_ADOPTED}."
            )),
            "{page}: {with}"
        );
        let without = text(&b.page(&format!(
            "moter/2024-11-28-vannomradeutvalget/{page}index.html"
        )));
        assert!(
            without.contains("Dette er innkallingen til møtet. Referatet er ikke publisert ennå."),
            "{page}: {without}"
        );
        assert!(!without.contains(NOT_ADOPTED), "{page}: {without}");
    }
}
