//! `waymark serve` as editors use it: a real process serving real files over HTTP on
//! 127.0.0.1, files edited, created, renamed and deleted, and what the browser would get
//! checked. (incremental.rs proves incremental rebuilds give exactly what a full build gives.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::site_test::{SiteTest, TODAY_EPOCH, command};

/// Generous, for a busy 2-core machine; waits end as soon as the condition holds.
const PATIENCE: Duration = Duration::from_secs(20);

// ---- Support --------------------------------------------------------------------------------

/// A running `waymark serve`, stopped when dropped.
struct Preview {
    child: Child,
    port: u16,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Preview {
    fn start(root: &Path, extra: &[&str]) -> Preview {
        let mut command = command();
        command
            .arg("serve")
            .arg("--root")
            .arg(root)
            .args(["--port", "0"])
            .args(extra);
        Preview::spawn(&mut command)
    }

    fn spawn(command: &mut Command) -> Preview {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        for output in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let lines = Arc::clone(&lines);
            std::thread::spawn(move || {
                for line in BufReader::new(output).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(line);
                }
            });
        }
        let mut preview = Preview {
            child,
            port: 0,
            lines,
        };
        let serving = preview.wait_for_line(|l| l.starts_with("Serving "));
        let port = serving
            .rsplit_once("http://127.0.0.1:")
            .and_then(|(_, rest)| rest.trim_end_matches('/').parse().ok())
            .unwrap_or_else(|| panic!("no port in {serving:?}"));
        preview.port = port;
        preview.wait_for_line(|l| l.starts_with("Built ") || l.contains("has problems"));
        preview
    }

    fn output(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    fn count_lines(&self, wanted: impl Fn(&str) -> bool) -> usize {
        self.output().iter().filter(|l| wanted(l)).count()
    }

    fn wait_for_line(&self, wanted: impl Fn(&str) -> bool) -> String {
        let found = wait_until(|| self.output().into_iter().find(|l| wanted(l)));
        found.unwrap_or_else(|| panic!("line not printed; output:\n{}", self.output().join("\n")))
    }

    fn get(&self, target: &str) -> Reply {
        self.request("GET", target, &[])
    }

    fn request(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
        let mut raw = format!(
            "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n",
            self.port
        );
        for (name, value) in headers {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
        raw.push_str("Connection: close\r\n\r\n");
        send_raw(self.port, raw.as_bytes())
    }

    /// Polls `target` until `wanted` holds, and returns that reply.
    fn wait_for(&self, target: &str, wanted: impl Fn(&Reply) -> bool) -> Reply {
        let found = wait_until(|| Some(self.get(target)).filter(|r| wanted(r)));
        found.unwrap_or_else(|| {
            let last = self.get(target);
            panic!(
                "{target} never became as expected; last reply {} {}\noutput:\n{}",
                last.status,
                last.body.chars().take(3000).collect::<String>(),
                self.output().join("\n")
            )
        })
    }
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_until<T>(mut found: impl FnMut() -> Option<T>) -> Option<T> {
    let started = Instant::now();
    loop {
        if let Some(value) = found() {
            return Some(value);
        }
        if started.elapsed() > PATIENCE {
            return None;
        }
        std::thread::sleep(Duration::from_millis(15));
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (field, value) = line.split_once(':')?;
            field.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

fn send_raw(port: u16, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(raw).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an HTTP response: {text:?}"));
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

// ---- Serving --------------------------------------------------------------------------------

#[test]
fn serves_pages_files_redirects_and_the_404_page() {
    let site = SiteTest::new("serve/site");
    let preview = Preview::start(&site.root, &[]);

    let home = preview.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("Cache-Control"), Some("no-store"));
    assert!(home.body.contains("Riverside Community Safety Partnership"));
    assert!(
        home.body.contains("/__waymark/events"),
        "live reload script"
    );
    assert!(home.body.find("data-waymark-path").unwrap() < home.body.rfind("</body>").unwrap());

    let stylesheet = stylesheet_of(&home.body);
    for (target, content_type) in [
        (stylesheet.as_str(), "text/css; charset=utf-8"),
        ("/logo.svg", "image/svg+xml"),
        ("/meetings/board-2024-01-18-minutes.pdf", "application/pdf"),
    ] {
        let reply = preview.get(target);
        assert_eq!(reply.status, 200, "{target}");
        assert_eq!(reply.header("Content-Type"), Some(content_type), "{target}");
        assert!(
            !reply.body.contains("__waymark"),
            "only pages get the script"
        );
    }
    let pdf = preview.get("/meetings/board-2024-01-18-minutes.pdf");
    assert!(pdf.body.starts_with("%PDF-1.4"));

    let folder = preview.get("/meetings");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("Location"), Some("/meetings/"));

    let missing = preview.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's own 404 page"
    );

    let head = preview.request("HEAD", "/about/", &[]);
    assert_eq!(head.status, 200);
    let length: usize = head.header("Content-Length").unwrap().parse().unwrap();
    assert_eq!(length, preview.get("/about/").body.len());
    assert!(head.body.is_empty());

    assert_eq!(preview.request("POST", "/", &[]).status, 405);
    for reply in [&home, &pdf, &missing] {
        assert!(!reply.head.to_ascii_lowercase().contains("access-control-"));
    }
    assert!(!site.path("public").exists(), "serve never writes public/");
}

#[test]
fn refuses_other_hosts_and_cross_site_live_reload() {
    let site = SiteTest::new("serve/site");
    let preview = Preview::start(&site.root, &[]);
    let rebinding = send_raw(
        preview.port,
        b"GET / HTTP/1.1\r\nHost: attacker.example:1111\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(rebinding.status, 403);
    assert!(!rebinding.body.contains("Riverside"));
    let no_host = send_raw(preview.port, b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(no_host.status, 403);
    let localhost = format!(
        "GET / HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
        preview.port
    );
    assert_eq!(send_raw(preview.port, localhost.as_bytes()).status, 200);

    let cross_site = preview.request(
        "GET",
        "/__waymark/events",
        &[("Origin", "http://attacker.example")],
    );
    assert_eq!(cross_site.status, 403);
    let other_port = preview.request(
        "GET",
        "/__waymark/events",
        &[("Origin", "http://127.0.0.1:1")],
    );
    assert_eq!(other_port.status, 403);
}

#[test]
fn path_traversal_probes_never_leak_a_file() {
    let site = SiteTest::new("serve/site");
    let outside = site.temp_dir().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let marker = "TOP-SECRET-7f3a9c";
    std::fs::write(outside.join("secret.txt"), marker).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, site.path("static/leak")).unwrap();
        std::os::unix::fs::symlink(outside.join("secret.txt"), site.path("static/leak.txt"))
            .unwrap();
    }
    let preview = Preview::start(&site.root, &[]);
    let secret = outside.join("secret.txt");
    let absolute = secret.to_string_lossy().into_owned();
    let probes = [
        "/../outside/secret.txt".to_string(),
        "/../../etc/passwd".into(),
        "/%2e%2e/outside/secret.txt".into(),
        "/%2E%2E/%2E%2E/etc/passwd".into(),
        "/.%2e/outside/secret.txt".into(),
        "/%2e%2e%2foutside%2fsecret.txt".into(),
        "/..%2f..%2fetc%2fpasswd".into(),
        "/%252e%252e/outside/secret.txt".into(),
        "/..\\outside\\secret.txt".into(),
        "/..%5coutside%5csecret.txt".into(),
        "/%5c..%5coutside%5csecret.txt".into(),
        "//etc/passwd".into(),
        format!("/{absolute}"),
        absolute.clone(),
        "/logo.svg%00.html".into(),
        "/%00/../outside/secret.txt".into(),
        "/%c0%ae%c0%ae/outside/secret.txt".into(),
        "/meetings/../../outside/secret.txt".into(),
        "/./../outside/secret.txt".into(),
        "/C:/Windows/win.ini".into(),
        "http://127.0.0.1/../outside/secret.txt".into(),
        "/leak/secret.txt".into(),
        "/leak.txt".into(),
        "/static/leak.txt".into(),
        "/site.yaml".into(),
        "/content/pages/about.md".into(),
    ];
    assert!(probes.len() >= 15);
    for probe in &probes {
        let raw = format!(
            "GET {probe} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            preview.port
        );
        let reply = send_raw(preview.port, raw.as_bytes());
        assert_ne!(reply.status, 200, "{probe} was answered: {}", reply.body);
        assert!(!reply.body.contains(marker), "{probe} leaked the secret");
        assert!(
            !reply.body.contains("root:x:0:0"),
            "{probe} leaked /etc/passwd"
        );
        assert!(
            !reply.body.contains("base_url:"),
            "{probe} leaked site.yaml"
        );
    }
    assert_eq!(
        preview.get("/").status,
        200,
        "the server survived every probe"
    );
}

#[test]
fn answers_200_concurrent_requests() {
    let site = SiteTest::new("serve/site");
    let preview = Preview::start(&site.root, &[]);
    let port = preview.port;
    let stylesheet: &'static str =
        Box::leak(stylesheet_of(&preview.get("/").body).into_boxed_str());
    let targets = [
        "/",
        stylesheet,
        "/meetings/",
        "/priorities/county-lines/",
        "/nope/",
    ];
    let handles: Vec<_> = (0..200)
        .map(|i| {
            let target = targets[i % targets.len()];
            std::thread::spawn(move || {
                let raw = format!(
                    "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
                );
                let reply = send_raw(port, raw.as_bytes());
                (target, reply.status, reply.body.len())
            })
        })
        .collect();
    for handle in handles {
        let (target, status, length) = handle.join().unwrap();
        let expected = if target == "/nope/" { 404 } else { 200 };
        assert_eq!(status, expected, "{target}");
        assert!(length > 100, "{target} came back short");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn keeps_serving_after_running_out_of_file_handles() {
    let site = SiteTest::alone("serve/site");
    // A low limit on open files, so idle connections exhaust it: tiny_http then stops
    // accepting, and the preview must start listening again once handles are free.
    let command = format!(
        "ulimit -n 64 && exec '{}' serve --root '{}' --port 0",
        env!("CARGO_BIN_EXE_waymark"),
        site.root.display()
    );
    let preview = Preview::spawn(
        Command::new("sh")
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .args(["-c", &command]),
    );
    let idle: Vec<TcpStream> = (0..40)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", preview.port)).ok())
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    drop(idle);
    let recovering = Instant::now();
    let home = wait_until(|| {
        let mut stream = TcpStream::connect(("127.0.0.1", preview.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        let raw = format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            preview.port
        );
        stream.write_all(raw.as_bytes()).ok()?;
        let mut reply = String::new();
        stream.read_to_string(&mut reply).ok()?;
        reply.starts_with("HTTP/1.1 200").then_some(reply)
    });
    assert!(home.is_some(), "{}", preview.output().join("\n"));
    assert!(
        recovering.elapsed() < Duration::from_secs(15),
        "took {:?}",
        recovering.elapsed()
    );
    let restarted = preview.count_lines(|l| l.contains("stopped accepting connections"));
    assert!(
        restarted > 0,
        "the file limit was never reached, so nothing was tested"
    );
}

// ---- Watching and rebuilding ------------------------------------------------------------------

#[test]
fn edits_creations_renames_and_deletions_are_served() {
    let site = SiteTest::new("serve/site");
    let preview = Preview::start(&site.root, &[]);
    let meeting = "content/meetings/board-2024-04-18.md";

    site.edit(
        meeting,
        "were presented.",
        "were presented. Lighting is now on, the park floodlit.",
    );
    preview.wait_for("/meetings/board-2024-04-18/", |r| {
        r.body.contains("Lighting is now on, the park floodlit.")
    });
    preview.wait_for_line(|l| l.starts_with("Rebuilt 1 page in "));
    // The search index follows the pages: the new word is in its term shard. The index is
    // written just after the pages are served, so wait for a manifest that holds the shard.
    let shard_for = |body: &str| -> Option<String> {
        let manifest: serde_json::Value = serde_json::from_str(body).ok()?;
        manifest["shards"]
            .as_array()?
            .iter()
            .filter_map(|key| key.as_str())
            .filter(|key| "floodlit".starts_with(key))
            .max_by_key(|key| key.len())
            .map(str::to_string)
    };
    let manifest = preview.wait_for("/search/manifest.json", |r| {
        r.status == 200 && shard_for(&r.body).is_some()
    });
    let holding = shard_for(&manifest.body).expect("a shard for words starting with f");
    let hex: String = holding.bytes().map(|b| format!("{b:02x}")).collect();
    preview.wait_for(&format!("/search/terms/{hex}.json"), |r| {
        r.status == 200 && r.body.contains("\"floodlit\"")
    });

    let text = site
        .read_source(meeting)
        .replace("April 2024", "April 2024 (rescheduled)");
    site.save_by_rename(meeting, &text);
    preview.wait_for("/meetings/", |r| {
        r.body.contains("April 2024 (rescheduled)")
    });

    site.write(
        "content/meetings/board-2024-07-18.md",
        "---\ntitle: Partnership board, July 2024\ndate: 2024-07-18\npriorities: [county-lines]\n---\nNew this summer.\n",
    );
    preview.wait_for("/meetings/board-2024-07-18/", |r| {
        r.status == 200 && r.body.contains("New this summer.")
    });
    preview.wait_for("/priorities/county-lines/", |r| {
        r.body.contains("Partnership board, July 2024")
    });

    std::fs::rename(
        site.path("content/meetings/board-2024-07-18.md"),
        site.path("content/meetings/board-2024-07-25.md"),
    )
    .unwrap();
    preview.wait_for("/meetings/board-2024-07-25/", |r| r.status == 200);
    preview.wait_for("/meetings/board-2024-07-18/", |r| r.status == 404);

    std::fs::remove_file(site.path("content/meetings/board-2024-07-25.md")).unwrap();
    preview.wait_for("/meetings/board-2024-07-25/", |r| r.status == 404);
    preview.wait_for("/meetings/", |r| !r.body.contains("July 2024"));

    // A new folder with a file in it, and a static file.
    std::fs::remove_dir_all(site.path("content/updates")).unwrap();
    preview.wait_for("/updates/spring-2024/", |r| r.status == 404);
    site.write(
        "content/updates/summer-2024.md",
        "---\ntitle: Summer 2024 report\ndate: 2024-08-01\n---\nA quiet summer.\n",
    );
    preview.wait_for("/updates/summer-2024/", |r| r.status == 200);
    site.write("static/docs/guide.txt", "How to report a problem.");
    preview.wait_for("/docs/guide.txt", |r| r.body == "How to report a problem.");
}

#[test]
fn editors_temporary_files_cause_no_rebuild() {
    let site = SiteTest::alone("serve/site");
    let preview = Preview::start(&site.root, &[]);
    for name in [
        ".board-2024-04-18.md.swp",
        "board-2024-04-18.md~",
        "4913",
        ".#board.md",
        "#board.md#",
    ] {
        site.write(&format!("content/meetings/{name}"), "scratch");
    }
    site.edit(
        "content/pages/about.md",
        "health partners.",
        "health partners. Marker.",
    );
    preview.wait_for("/about/", |r| r.body.contains("Marker."));
    std::thread::sleep(Duration::from_millis(300));
    let rebuilds = preview.count_lines(|l| l.starts_with("Rebuilt"));
    assert_eq!(rebuilds, 1, "{}", preview.output().join("\n"));
}

#[test]
fn a_burst_of_a_thousand_files_is_one_rebuild() {
    let site = SiteTest::alone("serve/site");
    let preview = Preview::start(&site.root, &[]);
    let texts: Vec<(PathBuf, String)> = (0..1000)
        .map(|i| {
            let path = site.path(&format!("content/meetings/bulk-{i:04}.md"));
            let text = format!("---\ntitle: Bulk meeting {i}\ndate: 2023-01-01\n---\nBody {i}.\n");
            (path, text)
        })
        .collect();
    for (path, text) in &texts {
        std::fs::write(path, text).unwrap();
    }
    preview.wait_for_line(|l| l.starts_with("Rebuilt"));
    let page = preview.get("/meetings/bulk-0999/");
    assert_eq!(page.status, 200);
    // The meetings list runs to page 51 (20 to a page), and the last lists the oldest.
    let last_page = preview.get("/meetings/page/51/");
    assert_eq!(last_page.status, 200);
    assert!(
        last_page.body.contains("Bulk meeting"),
        "{}",
        last_page.body
    );
    assert_eq!(preview.get("/meetings/page/52/").status, 404);
    std::thread::sleep(Duration::from_millis(500));
    let rebuilds: Vec<String> = preview
        .output()
        .into_iter()
        .filter(|l| l.starts_with("Rebuilt"))
        .collect();
    assert_eq!(rebuilds.len(), 1, "{rebuilds:?}");
}

#[test]
fn broken_content_shows_an_overlay_over_the_last_good_site() {
    let site = SiteTest::new("serve/site");
    let preview = Preview::start(&site.root, &[]);
    let priority = "content/priorities/safer-streets.md";
    site.edit(priority, "status: at-risk", "status: at-rsik");
    let page = preview.wait_for("/priorities/safer-streets/", |r| {
        r.body.contains("waymark-problems")
    });
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Better lighting and more patrols"),
        "last good content stays"
    );
    assert!(
        page.body
            .contains("content/priorities/safer-streets.md:4:9"),
        "{}",
        page.body
    );
    assert!(page.body.contains("unknown status &quot;at-rsik&quot;"));
    assert!(page.body.contains("did you mean &quot;at-risk&quot;"));
    assert!(
        preview.get("/about/").body.contains("waymark-problems"),
        "every page shows it"
    );
    preview.wait_for_line(|l| l.contains("content/priorities/safer-streets.md:4:9"));

    site.edit(priority, "status: at-rsik", "status: complete");
    let fixed = preview.wait_for("/priorities/safer-streets/", |r| {
        !r.body.contains("waymark-problems")
    });
    assert!(fixed.body.contains("Complete"), "{}", fixed.body);
    assert!(!preview.get("/about/").body.contains("waymark-problems"));
}

#[test]
fn a_broken_first_build_still_serves_and_recovers() {
    let site = SiteTest::new("serve/site");
    site.edit(
        "content/meetings/board-2024-04-18.md",
        "date: 2024-04-18",
        "date: 2024-04-31",
    );
    let preview = Preview::start(&site.root, &[]);
    let page = preview.get("/");
    assert_eq!(page.status, 500);
    assert!(
        page.body
            .contains("content/meetings/board-2024-04-18.md:3:7"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("/__waymark/events"),
        "it reloads when fixed"
    );
    site.edit(
        "content/meetings/board-2024-04-18.md",
        "date: 2024-04-31",
        "date: 2024-04-30",
    );
    let home = preview.wait_for("/", |r| r.status == 200);
    assert!(!home.body.contains("waymark-problems"));
}

#[test]
fn drafts_are_served_with_a_banner_only_when_asked_for() {
    let site = SiteTest::new("serve/site");
    let without = Preview::start(&site.root, &[]);
    assert_eq!(without.get("/plans/").status, 404);
    let with = Preview::start(&site.root, &["--drafts"]);
    let draft = with.get("/plans/");
    assert_eq!(draft.status, 200);
    assert!(draft.body.contains("id=\"waymark-draft\""));
    assert!(draft.body.contains("<strong>Draft</strong>"));
    assert!(!with.get("/about/").body.contains("waymark-draft"));
}

/// What the preview says at the address of a draft it leaves out, naming the draft's file.
fn left_out_draft_message(file: &str) -> String {
    format!(
        "<h1 style=\"margin:0 0 1rem\">This page is a draft</h1>\
         <p>It is made from <code>{file}</code>, which has <code>draft: true</code> in it. \
         Drafts are not published.</p>\
         <p>To preview drafts, stop the preview (Ctrl+C) and run \
         <code style=\"white-space:nowrap\">waymark serve --drafts</code>.</p>\
         <p>To publish this page, remove <code>draft: true</code> from <code>{file}</code> \
         and save; this page then updates by itself.</p>"
    )
}

#[test]
fn a_drafts_address_says_it_is_a_draft_and_how_to_preview_it() {
    let site = SiteTest::new("serve/site");
    let preview = Preview::start(&site.root, &[]);
    let plans = left_out_draft_message("content/pages/plans.md");

    let draft = preview.get("/plans/");
    assert_eq!(draft.status, 404, "there is no page there");
    assert_eq!(
        draft.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(draft.body.contains(&plans), "{}", draft.body);
    assert!(
        draft
            .body
            .contains("<title>This page is a draft – Waymark preview</title>"),
        "{}",
        draft.body
    );
    assert!(
        draft
            .body
            .contains("data-waymark-path=\"plans/index.html\""),
        "it reloads when the draft is published"
    );
    assert!(
        !draft.body.contains("Not agreed yet."),
        "the draft stays unseen"
    );
    let folder = preview.get("/plans");
    assert_eq!(folder.status, 301);
    assert_eq!(folder.header("Location"), Some("/plans/"));

    let missing = preview.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's own 404 page"
    );
    assert!(!missing.body.contains("This page is a draft"));
    assert_eq!(preview.get("/plans/page/2/").status, 404);
    assert!(!preview.get("/plans/page/2/").body.contains("draft"));

    // An editor makes a published page a draft, then looks at it.
    let update = "content/updates/spring-2024.md";
    site.edit(update, "\ndate:", "\ndraft: true\ndate:");
    let became = preview.wait_for("/updates/spring-2024/", |r| {
        r.body.contains("This page is a draft")
    });
    assert_eq!(became.status, 404);
    assert!(
        became
            .body
            .contains(&left_out_draft_message("content/updates/spring-2024.md")),
        "{}",
        became.body
    );

    // Publishing the draft brings its page.
    site.edit("content/pages/plans.md", "draft: true\n", "");
    let published = preview.wait_for("/plans/", |r| r.status == 200);
    assert!(published.body.contains("Not agreed yet."));
    assert!(!published.body.contains("This page is a draft"));

    // A deleted draft has no address any more.
    std::fs::remove_file(site.path(update)).unwrap();
    let gone = preview.wait_for("/updates/spring-2024/", |r| {
        !r.body.contains("This page is a draft")
    });
    assert_eq!(gone.status, 404);
    assert!(gone.body.contains("Page not found"));
    assert!(!site.path("public").exists(), "serve never writes public/");
}

/// The notice of `count` warnings, as it starts.
fn warnings_summary(count: &str) -> String {
    format!(
        "background:#ffdd00;color:#0b0c0c;font-weight:bold\">{count}</summary>\
         <div style=\"padding:.75rem 1rem 0\"><p style=\"margin:0\">The site built, but \
         Waymark has warnings about it: things that make pages harder to use or out of date. \
         Fix them and save; this page updates by itself.</p>"
    )
}

const STALE_WARNING: &str = "<pre style=\"margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:15px/1.45 ui-monospace,Menlo,Consolas,monospace;background:#f3f2f1;padding:.75rem\">\
warning[stale-priority]: this priority was last updated on 1 March 2024, over 6 months ago
  --&gt; content/priorities/county-lines.md:7:10
  |
7 | updated: 2024-03-01
  |          ^
  = help: publish an update on its progress, then set `updated:` to that date</pre>";

const ALT_WARNING: &str = "<pre style=\"margin:0;white-space:pre-wrap;overflow-wrap:anywhere;font:15px/1.45 ui-monospace,Menlo,Consolas,monospace;background:#f3f2f1;padding:.75rem\">\
warning[image-missing-alt]: image has no alternative text
  --&gt; content/pages/about.md:7:1
  |
7 | ![](/logo.svg)
  | ^
  = help: describe the image in the brackets: ![A map of the county's districts](map.png)</pre>";

#[test]
fn warnings_are_noted_on_every_page_and_follow_each_edit() {
    let site = SiteTest::new("serve/site");
    let preview = Preview::start(&site.root, &[]);

    // The fixture's one warning: a priority not updated for months.
    let home = preview.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.body
            .contains("<details id=\"waymark-warnings\" style=\"position:fixed;"),
        "{}",
        home.body
    );
    assert!(
        home.body.contains(&warnings_summary("1 warning")),
        "{}",
        home.body
    );
    assert!(home.body.contains(STALE_WARNING), "{}", home.body);
    let notice = &home.body[home.body.find("waymark-warnings").unwrap()..];
    assert!(!notice.contains("role="), "not an alert");
    assert!(!notice.contains("<details open"), "closed until opened");
    assert!(
        home.body.rfind("</details>").unwrap() < home.body.rfind("</body>").unwrap(),
        "inside the page's body"
    );
    for target in ["/about/", "/no-such-page/", "/plans/"] {
        let reply = preview.get(target);
        assert!(
            reply.body.contains(&warnings_summary("1 warning")),
            "{target}: {}",
            reply.body
        );
    }
    assert!(!preview.get("/logo.svg").body.contains("waymark-warnings"));

    // A new warning joins it as soon as the file is saved.
    site.edit(
        "content/pages/about.md",
        "health partners.\n",
        "health partners.\n\n![](/logo.svg)\n",
    );
    let about = preview.wait_for("/about/", |r| {
        r.body.contains(&warnings_summary("2 warnings"))
    });
    assert!(about.body.contains(ALT_WARNING), "{}", about.body);
    assert!(about.body.contains(STALE_WARNING));
    assert!(
        preview
            .get("/meetings/")
            .body
            .contains(&warnings_summary("2 warnings")),
        "every page has the notice"
    );

    // An error: the blocking overlay lists everything, and the notice steps aside.
    let priority = "content/priorities/safer-streets.md";
    site.edit(priority, "status: at-risk", "status: at-rsik");
    let broken = preview.wait_for("/about/", |r| r.body.contains("waymark-problems"));
    assert!(!broken.body.contains("waymark-warnings"), "{}", broken.body);
    site.edit(priority, "status: at-rsik", "status: at-risk");
    let fixed = preview.wait_for("/about/", |r| !r.body.contains("waymark-problems"));
    assert!(fixed.body.contains(&warnings_summary("2 warnings")));

    // Fixing both leaves no notice at all.
    site.edit(
        "content/pages/about.md",
        "![](/logo.svg)",
        "![The logo](/logo.svg)",
    );
    preview.wait_for("/about/", |r| {
        r.body.contains(&warnings_summary("1 warning"))
    });
    site.edit(
        "content/priorities/county-lines.md",
        "updated: 2024-03-01",
        "updated: 2026-11-01",
    );
    let clean = preview.wait_for("/about/", |r| !r.body.contains("waymark-warnings"));
    assert_eq!(clean.status, 200);
    assert!(!preview.get("/").body.contains("waymark-warnings"));
    assert!(!site.path("public").exists(), "serve never writes public/");
}

#[test]
fn a_site_without_warnings_shows_no_notice() {
    let site = SiteTest::new("serve/site");
    site.edit(
        "content/priorities/county-lines.md",
        "updated: 2024-03-01",
        "updated: 2026-11-01",
    );
    let preview = Preview::start(&site.root, &[]);
    for target in ["/", "/about/", "/no-such-page/", "/plans/"] {
        let reply = preview.get(target);
        assert!(
            reply.body.contains("/__waymark/events"),
            "{target} is served"
        );
        assert!(
            !reply.body.contains("waymark-warnings"),
            "{target}: {}",
            reply.body
        );
        assert!(!reply.body.contains("warning["), "{target}");
    }
    assert_eq!(
        preview.count_lines(|l| l.contains("warning")),
        0,
        "{}",
        preview.output().join("\n")
    );
}

#[test]
fn live_reload_tells_connected_pages_what_changed() {
    let site = SiteTest::new("serve/site");
    site.write("static/print.css", "body { color: black; }");
    let preview = Preview::start(&site.root, &[]);
    let mut stream = open_events(&preview);
    let head = next_block(&mut stream);
    assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
    assert!(head.contains("Content-Type: text/event-stream"), "{head}");
    let hello = next_event(&mut stream);
    assert!(
        hello.starts_with("event: hello\ndata: {\"generation\":"),
        "{hello}"
    );

    site.edit(
        "content/pages/about.md",
        "health partners.",
        "health partners, and you.",
    );
    let change = next_page_event(&mut stream);
    assert!(change.starts_with("event: change"), "{change}");
    assert!(
        change.contains("\"pages\":[\"about/index.html\"]"),
        "{change}"
    );

    site.write("static/print.css", "body { color: navy; }");
    let change = next_page_event(&mut stream);
    assert!(change.contains("\"styles\":[\"print.css\"]"), "{change}");
    assert!(
        change.contains("\"pages\":[]"),
        "a stylesheet alone reloads no page: {change}"
    );
}

#[test]
fn site_settings_and_templates_rebuild_everything() {
    let site = SiteTest::new("serve/site");
    let preview = Preview::start(&site.root, &[]);
    site.edit("site.yaml", "title: Riverside", "title: Greater Riverside");
    preview.wait_for("/about/", |r| r.body.contains("Greater Riverside"));
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1 class=\"custom\">{{ page.title }}</h1>{{ page.content | safe }}{% endblock content %}",
    );
    preview.wait_for("/about/", |r| r.body.contains("<h1 class=\"custom\">"));
}

#[test]
fn polling_finds_changes_where_notification_does_not_reach() {
    let site = SiteTest::new("serve/site");
    let preview = Preview::start(&site.root, &["--poll"]);
    preview.wait_for_line(|l| l.contains("every 0.5 s (--poll)"));
    site.edit(
        "content/pages/about.md",
        "health partners.",
        "health partners. Polled.",
    );
    preview.wait_for("/about/", |r| r.body.contains("Polled."));
    site.edit("content/pages/about.md", "Polled.", "Polled twice.");
    preview.wait_for("/about/", |r| r.body.contains("Polled twice."));
}

#[test]
fn warnings_that_come_or_go_reload_every_open_page() {
    let site = SiteTest::new("serve/site");
    let preview = Preview::start(&site.root, &[]);
    let mut stream = open_events(&preview);
    next_block(&mut stream);
    assert!(next_event(&mut stream).starts_with("event: hello"));
    site.edit(
        "content/pages/about.md",
        "health partners.\n",
        "health partners.\n\n![](/logo.svg)\n",
    );
    let change = next_page_event(&mut stream);
    assert!(change.contains("\"all\":true"), "{change}");
    // An edit that changes no warning reloads only its page.
    site.edit(
        "content/pages/about.md",
        "health partners.",
        "health partners, and you.",
    );
    let change = next_page_event(&mut stream);
    assert!(change.contains("\"all\":false"), "{change}");
    assert!(
        change.contains("\"pages\":[\"about/index.html\"]"),
        "{change}"
    );
    site.edit("content/pages/about.md", "![](/logo.svg)", "");
    let change = next_page_event(&mut stream);
    assert!(change.contains("\"all\":true"), "{change}");
}

/// A live-reload stream opened as a page of the preview opens it.
fn open_events(preview: &Preview) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect(("127.0.0.1", preview.port)).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let request = format!(
        "GET /__waymark/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nOrigin: http://127.0.0.1:{}\r\n\r\n",
        preview.port, preview.port
    );
    stream.write_all(request.as_bytes()).unwrap();
    BufReader::new(stream)
}

/// The response head, then each event: blocks of lines ending with an empty line.
fn next_block(stream: &mut impl BufRead) -> String {
    let mut block = String::new();
    loop {
        let mut line = String::new();
        assert!(
            stream.read_line(&mut line).unwrap() > 0,
            "stream ended after {block:?}"
        );
        if line.trim_end().is_empty() && !block.is_empty() {
            return block;
        }
        block.push_str(&line);
    }
}

/// The next event, skipping the reconnection delay and pings.
fn next_event(stream: &mut impl BufRead) -> String {
    loop {
        let block = next_block(stream);
        if block.starts_with("event: ") {
            return block;
        }
    }
}

/// The next event that reloads pages or stylesheets: the search index and the open data follow
/// each build by themselves, and their events (no page, no stylesheet) may arrive at any moment.
fn next_page_event(stream: &mut impl BufRead) -> String {
    loop {
        let event = next_event(stream);
        let other_files_only = event.contains("\"all\":false")
            && event.contains("\"pages\":[]")
            && event.contains("\"styles\":[]");
        if !other_files_only {
            return event;
        }
    }
}

/// The theme's stylesheet has a content-hashed name; a page's `<link>` says which.
fn stylesheet_of(page: &str) -> String {
    let marker = "rel=\"stylesheet\" href=\"";
    let at = page.find(marker).expect("a stylesheet link") + marker.len();
    page[at..at + page[at..].find('"').expect("closing quote")].to_string()
}
