package sqlite_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"quire/internal/store/sqlite"
)

// Migration 19 rebuilds the inbox and the reports (SQLite cannot widen a
// CHECK): an archive's reports, their notes and inbox entries survive it,
// and the notes still cascade with their report.
func TestMigration19KeepsReportsAndInbox(t *testing.T) {
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "m.db")+"?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files, _ := filepath.Glob("migrations/*.sql")
	sort.Strings(files)
	run := func(f string) {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	var at19 string
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "0019_") {
			at19 = f
			break
		}
		run(f)
	}
	for _, s := range []string{
		`INSERT INTO users (id, name, name_key, email, email_key, created_at) VALUES (1, 'mod', 'mod', 'm@x.test', 'm@x.test', 1)`,
		`INSERT INTO reports (id, target_kind, target_id, reason, created_at, updated_at) VALUES (7, 'user', 1, 'spam', 1, 1)`,
		`INSERT INTO report_notes (report_id, author_id, author_name, body, created_at) VALUES (7, 1, 'mod', 'checked', 2)`,
		`INSERT INTO inbox (user_id, kind, actor, created_at) VALUES (1, 'work_hidden', 'mod', 3)`,
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	run(at19)
	var n int
	if err := db.QueryRow(`SELECT (SELECT COUNT(*) FROM reports WHERE id = 7) + (SELECT COUNT(*) FROM report_notes WHERE report_id = 7) + (SELECT COUNT(*) FROM inbox)`).Scan(&n); err != nil || n != 3 {
		t.Fatalf("after migration 19: %d rows (%v)", n, err)
	}
	if _, err := db.Exec(`INSERT INTO reports (target_kind, target_name, reason, created_at, updated_at) VALUES ('collection', 'Fest', 'spam', 4, 4)`); err != nil {
		t.Fatalf("a collection report: %v", err)
	}
	if _, err := db.Exec(`INSERT INTO report_notes (report_id, body, created_at) VALUES (99, 'x', 5)`); err == nil {
		t.Fatal("a note of no report was accepted: the foreign key is gone")
	}
	if _, err := db.Exec(`DELETE FROM reports WHERE id = 7`); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT COUNT(*) FROM report_notes`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("notes of a deleted report: %d (%v)", n, err)
	}
	var id int64
	if err := db.QueryRow(`INSERT INTO reports (target_kind, target_id, reason, created_at, updated_at) VALUES ('work', 1, 'spam', 6, 6) RETURNING id`).Scan(&id); err != nil || id <= 8 {
		t.Fatalf("a new report's id %d (%v): ids must keep growing", id, err)
	}
}

// Migration 20 rebuilds the inbox without its CHECK on kind and with a
// collection column: entries survive it, and a new kind is accepted.
func TestMigration20KeepsInbox(t *testing.T) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "m.db")+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files, _ := filepath.Glob("migrations/*.sql")
	sort.Strings(files)
	run := func(f string) {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	var at20 string
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "0020_") {
			at20 = f
			break
		}
		run(f)
	}
	for _, s := range []string{
		`INSERT INTO users (id, name, name_key, email, email_key, created_at) VALUES (1, 'mod', 'mod', 'm@x.test', 'm@x.test', 1)`,
		`INSERT INTO inbox (id, user_id, kind, actor, created_at) VALUES (5, 1, 'gift', 'mod', 3)`,
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	run(at20)
	var kind string
	if err := db.QueryRow(`SELECT kind FROM inbox WHERE id = 5`).Scan(&kind); err != nil || kind != "gift" {
		t.Fatalf("after migration 20: %q (%v)", kind, err)
	}
	if _, err := db.Exec(`INSERT INTO collections (id, name, name_key, title, created_at, updated_at) VALUES (3, 'Fest', 'fest', 'Fest', 1, 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO inbox (user_id, kind, collection_id, created_at) VALUES (1, 'assignment', 3, 4)`); err != nil {
		t.Fatalf("an assignment notice: %v", err)
	}
	var id int64
	if err := db.QueryRow(`INSERT INTO inbox (user_id, kind, created_at) VALUES (1, 'work', 6) RETURNING id`).Scan(&id); err != nil || id <= 6 {
		t.Fatalf("a new entry's id %d (%v): ids must keep growing", id, err)
	}
}

// Migration 21 rebuilds the tables whose ids readers see with AUTOINCREMENT.
// Every row and every reference survives it, nothing cascades, the
// triggers still count, foreign keys still hold, and the id of the newest
// work, once deleted, is never given to the next one.
func TestMigration21IdsAreNeverReused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quire.db")
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("migrations/*.sql")
	sort.Strings(files)
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "0021_") {
			break
		}
		v, _ := strconv.Atoi(filepath.Base(f)[:4])
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, err := db.Exec(`INSERT INTO schema_migrations VALUES (?, 0)`, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range []string{
		`INSERT INTO users (id, name, name_key, email, email_key, created_at) VALUES (1, 'ana', 'ana', 'a@x.test', 'a@x.test', 1)`,
		`INSERT INTO pseuds (id, user_id, name, name_key, is_default, created_at) VALUES (1, 1, 'ana', 'ana', 1, 1)`,
		`INSERT INTO tags (id, type, name, name_key, canonical, created_at) VALUES (1001, 'fandom', 'Lighthouse', 'lighthouse', 1, 1)`,
		`INSERT INTO tags (id, type, name, name_key, synonym_of, created_at) VALUES (1002, 'fandom', 'LH', 'lh', 1001, 1)`,
		`INSERT INTO works (id, title, posted_at, updated_at, edited_at, created_at) VALUES (1, 'Keeper', 1, 1, 1, 1), (2, 'Tide', 1, 1, 1, 1)`,
		`INSERT INTO work_creators VALUES (1, 1, 0), (2, 1, 0)`,
		`INSERT INTO work_tags VALUES (1, 1001, 0, 'Lighthouse'), (2, 1002, 0, 'LH')`,
		`INSERT INTO chapters (id, work_id, position, body_src, body_html, posted_at, updated_at) VALUES (1, 1, 1, 'a', 'a', 1, 1), (2, 2, 1, 'b', 'b', 1, 1)`,
		`INSERT INTO comments (id, work_id, chapter_id, user_id, pseud_id, body_src, body_html, created_at) VALUES (1, 2, 2, 1, 1, 'hi', 'hi', 1)`,
		`INSERT INTO comments (id, work_id, chapter_id, parent_id, user_id, pseud_id, body_src, body_html, created_at) VALUES (2, 2, 2, 1, 1, 1, 're', 're', 1)`,
		`INSERT INTO kudos (work_id, user_id, created_at) VALUES (2, 1, 1)`,
	} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	db.Close()

	st, err := sqlite.OpenFile(ctx, path)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	defer st.Close()
	db = st.DB()
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.QueryRow(q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count(`SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM pseuds) + (SELECT COUNT(*) FROM tags WHERE synonym_of = 1001) + (SELECT COUNT(*) FROM works) + (SELECT COUNT(*) FROM work_creators) + (SELECT COUNT(*) FROM work_tags) + (SELECT COUNT(*) FROM chapters) + (SELECT COUNT(*) FROM comments WHERE id = 1 OR parent_id = 1) + (SELECT COUNT(*) FROM kudos)`); n != 14 {
		t.Fatalf("after migration 21: %d rows, want 14", n)
	}
	if _, err := db.Exec(`INSERT INTO kudos (work_id, guest_key, created_at) VALUES (2, 'g', 2)`); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT kudos FROM works WHERE id = 2`); n != 2 {
		t.Fatalf("work 2 has %d kudos after a second one, want 2: the kudos trigger was lost in the rebuild", n)
	}
	if _, err := db.Exec(`INSERT INTO chapters (work_id, position, body_src, body_html, posted_at, updated_at) VALUES (99, 1, 'x', 'x', 1, 1)`); err == nil {
		t.Fatal("a chapter of no work was accepted: the foreign key is gone")
	}
	if _, err := db.Exec(`DELETE FROM works WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT (SELECT COUNT(*) FROM chapters WHERE work_id = 2) + (SELECT COUNT(*) FROM comments) + (SELECT COUNT(*) FROM kudos)`); n != 0 {
		t.Fatalf("a deleted work left %d chapters, comments or kudos: deletes no longer cascade", n)
	}
	var id int64
	if err := db.QueryRow(`INSERT INTO works (title, posted_at, updated_at, edited_at, created_at) VALUES ('New', 3, 3, 3, 3) RETURNING id`).Scan(&id); err != nil || id != 3 {
		t.Fatalf("the next work's id is %d (%v), want 3: the deleted work's id 2 must not come back", id, err)
	}
}

// Every table keyed by an integer id is AUTOINCREMENT, so that no id is
// ever used twice; a table added later must say so too.
func TestEveryIdIsAutoincrement(t *testing.T) {
	st, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.DB().Query(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	key := regexp.MustCompile(`(?i)\bid\s+INTEGER\s+PRIMARY\s+KEY\b(\s+AUTOINCREMENT\b)?(\s+CHECK)?`)
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			t.Fatal(err)
		}
		m := key.FindStringSubmatch(def)
		if strings.HasSuffix(name, "_data") || strings.HasSuffix(name, "_content") || strings.HasSuffix(name, "_docsize") {
			continue // a full-text index's own shadow tables
		}
		if m != nil && m[1] == "" && m[2] == "" {
			t.Errorf("table %s: id INTEGER PRIMARY KEY without AUTOINCREMENT: a deleted row's id would be used again", name)
		}
	}
}
