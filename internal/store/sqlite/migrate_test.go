package sqlite_test

import (
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
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
