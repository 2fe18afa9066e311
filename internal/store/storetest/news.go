package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
)

func rich(html string) archive.Rich {
	return archive.Rich{Source: html, Format: archive.FormatHTML, HTML: html}
}

func testNews(t *testing.T, st store.Store) {
	ctx := context.Background()
	admin := newUser(t, st, "admin")
	reader := newUser(t, st, "reader")
	at := func(h int) time.Time { return time.Date(2024, 6, 1, h, 0, 0, 0, time.UTC) }

	var ids []int64
	for i, title := range []string{"First", "Second", "Third"} {
		p := &archive.NewsPost{Title: title, Body: rich("<p>" + title + "</p>"), AuthorID: admin.ID, CreatedAt: at(i + 1), UpdatedAt: at(i + 1)}
		must(t, st.CreateNewsPost(ctx, p))
		if p.ID == 0 {
			t.Fatal("no id")
		}
		ids = append(ids, p.ID)
	}
	page, total, err := st.NewsPosts(ctx, 0, 2)
	must(t, err)
	if total != 3 || len(page) != 2 || page[0].Title != "Third" || page[1].Title != "Second" || page[0].Author != "admin" {
		t.Fatalf("first page: %d posts of %d: %+v", len(page), total, page)
	}
	page, _, err = st.NewsPosts(ctx, 2, 2)
	must(t, err)
	if len(page) != 1 || page[0].Title != "First" {
		t.Fatalf("second page %+v", page)
	}

	p, err := st.NewsPost(ctx, ids[0])
	must(t, err)
	p.Title, p.Body, p.UpdatedAt = "First, edited", rich("<p>Edited</p>"), at(9)
	must(t, st.UpdateNewsPost(ctx, p))
	got, err := st.NewsPost(ctx, ids[0])
	must(t, err)
	if got.Title != "First, edited" || got.Body.HTML != "<p>Edited</p>" || !got.UpdatedAt.Equal(at(9)) || !got.CreatedAt.Equal(at(1)) || got.AuthorID != admin.ID {
		t.Fatalf("after edit %+v", got)
	}
	if err := st.UpdateNewsPost(ctx, &archive.NewsPost{ID: 999, Title: "x"}); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("editing a missing post: %v", err)
	}

	c1 := &archive.NewsComment{PostID: ids[0], UserID: reader.ID, Body: rich("<p>Hello</p>"), CreatedAt: at(10)}
	must(t, st.CreateNewsComment(ctx, c1))
	c2 := &archive.NewsComment{PostID: ids[0], UserID: admin.ID, Body: rich("<p>Welcome</p>"), CreatedAt: at(11)}
	must(t, st.CreateNewsComment(ctx, c2))
	cs, err := st.NewsComments(ctx, ids[0])
	must(t, err)
	if len(cs) != 2 || cs[0].UserName != "reader" || cs[1].Body.HTML != "<p>Welcome</p>" || !cs[0].CreatedAt.Equal(at(10)) {
		t.Fatalf("comments %+v", cs)
	}
	got, err = st.NewsPost(ctx, ids[0])
	must(t, err)
	if got.Comments != 2 {
		t.Fatalf("post counts %d comments", got.Comments)
	}
	times, err := st.NewsCommentTimesSince(ctx, reader.ID, at(10))
	must(t, err)
	if len(times) != 1 || !times[0].Equal(at(10)) {
		t.Fatalf("reader's comment times %v", times)
	}
	if times, err := st.NewsCommentTimesSince(ctx, reader.ID, at(10).Add(time.Second)); err != nil || len(times) != 0 {
		t.Fatalf("comment times after the last: %v %v", times, err)
	}
	must(t, st.DeleteNewsComment(ctx, c1.ID))
	if _, err := st.NewsComment(ctx, c1.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("deleted comment: %v", err)
	}
	if err := st.DeleteNewsComment(ctx, c1.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}

	// A post outlives its author's account; deleting it takes its comments.
	_, _, err = st.DeleteUser(ctx, admin.ID, true)
	must(t, err)
	got, err = st.NewsPost(ctx, ids[0])
	must(t, err)
	if got.AuthorID != 0 || got.Author != "" {
		t.Fatalf("post of a deleted account %+v", got)
	}
	must(t, st.DeleteNewsPost(ctx, ids[0]))
	if _, err := st.NewsPost(ctx, ids[0]); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("deleted post: %v", err)
	}
	if _, err := st.NewsComment(ctx, c2.ID); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("comment of a deleted post: %v", err)
	}
	if err := st.DeleteNewsPost(ctx, ids[0]); !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("deleting twice: %v", err)
	}
}

func testBanner(t *testing.T, st store.Store) {
	ctx := context.Background()
	b, err := st.Banner(ctx)
	must(t, err)
	if b.Active() || b.Version != 0 {
		t.Fatalf("banner before any: %+v", b)
	}
	at := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	b1, err := st.SetBanner(ctx, rich("<p>Maintenance tonight</p>"), at)
	must(t, err)
	b2, err := st.SetBanner(ctx, archive.Rich{}, at.Add(time.Hour))
	must(t, err)
	if b2.Active() || b2.Version <= b1.Version {
		t.Fatalf("removed banner %+v after %+v", b2, b1)
	}
	b3, err := st.SetBanner(ctx, rich("<p>Back</p>"), at.Add(2*time.Hour))
	must(t, err)
	if b3.Version <= b2.Version {
		t.Fatalf("new banner's version %d after %d", b3.Version, b2.Version)
	}
	got, err := st.Banner(ctx)
	must(t, err)
	if !got.Active() || got.Version != b3.Version || got.Text.HTML != "<p>Back</p>" || got.Text.Format != archive.FormatHTML || !got.UpdatedAt.Equal(at.Add(2*time.Hour)) {
		t.Fatalf("banner %+v", got)
	}
}

func testSitemapChapters(t *testing.T, st store.Store) {
	ctx := context.Background()
	u := newUser(t, st, "writer")
	w := postWork(t, st, u, "Three", basicTags("Fandom"), "one", "two", "three")
	cs, err := st.Chapters(ctx, w.ID, false)
	must(t, err)
	cs[1].Draft = true
	must(t, st.UpdateChapter(ctx, cs[1]))
	got, err := st.PostedChapters(ctx, cs[0].ID, cs[2].ID)
	must(t, err)
	if len(got) != 2 || got[0].ID != cs[0].ID || got[1].ID != cs[2].ID || got[0].WorkID != w.ID || got[1].UpdatedAt.IsZero() {
		t.Fatalf("posted chapters %+v", got)
	}
	got, err = st.PostedChapters(ctx, cs[0].ID, cs[0].ID)
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("one id's range: %+v", got)
	}
	var seen []int64
	must(t, st.EachPostedChapter(ctx, func(id, workID int64) error {
		if workID != w.ID {
			t.Errorf("chapter %d of work %d", id, workID)
		}
		seen = append(seen, id)
		return nil
	}))
	if len(seen) != 2 || seen[0] != cs[0].ID || seen[1] != cs[2].ID {
		t.Fatalf("each posted chapter: %v", seen)
	}
}
