package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/store/sqlite"
)

func postN(ctx context.Context, st store.Store, pseud int64, i int) error {
	in := archive.WorkInput{Title: fmt.Sprintf("Work %d", i), Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Original Work"}, Freeforms: []string{fmt.Sprintf("Tag %d", i%7)}}
	for c := 0; c < 1+i%4; c++ {
		in.Chapters = append(in.Chapters, archive.ChapterInput{Title: fmt.Sprintf("Chapter %d", c+1), Body: strings.Repeat("word ", 50+c)})
	}
	w, cs, err := archive.PrepareWork(in, time.Now())
	if err != nil {
		return err
	}
	return st.CreateWorks(ctx, []store.NewWork{{Work: w, Chapters: cs, PseudIDs: []int64{pseud}}})
}

// A backup taken while another goroutine keeps posting restores to a
// consistent archive: it opens, passes SQLite's integrity check, and every
// work in it is whole.
func TestBackupDuringWritesRestores(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u := &archive.User{Name: "writer", Email: "writer@example.test"}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	ps, err := st.Pseuds(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		if err := postN(ctx, st, ps[0].ID, i); err != nil {
			t.Fatal(err)
		}
	}
	var posted atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	var failed atomic.Bool
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 20; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := postN(ctx, st, ps[0].ID, i); err != nil {
				writeErr = err
				failed.Store(true)
				return
			}
			// And a chapter added to an older work.
			c, _ := archive.PrepareChapter(archive.ChapterInput{Body: "an added chapter"})
			c.WorkID = int64(1 + i%20)
			if err := st.CreateChapter(ctx, c); err != nil {
				writeErr = err
				failed.Store(true)
				return
			}
			posted.Add(1)
		}
	}()
	for posted.Load() < 5 && !failed.Load() {
		time.Sleep(time.Millisecond)
	}
	backup := filepath.Join(t.TempDir(), "snap.db")
	if err := st.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	during := posted.Load()
	for posted.Load() < during+5 && !failed.Load() {
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatal(writeErr)
	}
	if err := st.Backup(ctx, backup); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("a second backup onto the same file: %v", err)
	}

	dir := filepath.Join(t.TempDir(), "restored")
	if err := sqlite.Restore(ctx, backup, dir); err != nil {
		t.Fatal(err)
	}
	rs, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var check string
	if err := rs.DB().QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check %q %v", check, err)
	}
	n, err := rs.CountWorks(ctx)
	if err != nil || n < 20 {
		t.Fatalf("restored %d works (%v)", n, err)
	}
	all, _ := st.CountWorks(ctx)
	t.Logf("the backup holds %d works of the %d there were at the end", n, all)
	// Every work is whole: its counts match its chapters, it has a byline, tags and a search row.
	var bad int
	err = rs.DB().QueryRow(`SELECT COUNT(*) FROM works w WHERE
		w.chapters_posted <> (SELECT COUNT(*) FROM chapters c WHERE c.work_id = w.id AND c.draft = 0)
		OR w.words <> (SELECT COALESCE(SUM(words), 0) FROM chapters c WHERE c.work_id = w.id AND c.draft = 0)
		OR w.chapters_posted = 0
		OR NOT EXISTS (SELECT 1 FROM work_creators wc WHERE wc.work_id = w.id)
		OR NOT EXISTS (SELECT 1 FROM work_tags wt WHERE wt.work_id = w.id)
		OR NOT EXISTS (SELECT 1 FROM works_fts f WHERE f.rowid = w.id)`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Fatalf("%d works are not whole (%v)", bad, err)
	}
	ids := []int64{}
	rows, _ := rs.DB().Query(`SELECT id FROM works ORDER BY id`)
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		cs, err := rs.Chapters(ctx, id, true)
		if err != nil || len(cs) == 0 {
			t.Fatalf("work %d: %d chapters (%v)", id, len(cs), err)
		}
		for i, c := range cs {
			if c.Position != i+1 || c.Body.HTML == "" {
				t.Fatalf("work %d chapter %d: position %d body %q", id, c.ID, c.Position, c.Body.HTML)
			}
		}
	}

	// Restore refuses an archive that has works, and changes nothing there.
	if err := sqlite.Restore(ctx, backup, dir); err == nil || !strings.Contains(err.Error(), "only into an empty archive") {
		t.Errorf("restore over a full archive: %v", err)
	}
	// Restore refuses a file that is not a Quire database.
	junk := filepath.Join(t.TempDir(), "junk.db")
	os.WriteFile(junk, []byte("not a database at all, just some text that is long enough"), 0o600)
	empty := filepath.Join(t.TempDir(), "empty")
	if err := sqlite.Restore(ctx, junk, empty); err == nil || !strings.Contains(err.Error(), "not") {
		t.Errorf("restore of junk: %v", err)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Errorf("a refused restore left files: %v", entries)
	}
	// Restore into an empty archive (opened once, so it has a quire.db) works.
	fresh := t.TempDir()
	fs, err := sqlite.Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	fs.Close()
	if err := sqlite.Restore(ctx, backup, fresh); err != nil {
		t.Fatalf("restore into an empty archive: %v", err)
	}
	fs, err = sqlite.Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer fs.Close()
	if m, _ := fs.CountWorks(ctx); m != n {
		t.Errorf("restored %d works, want %d", m, n)
	}
}
