package site_test

import (
	"context"
	"testing"

	"quire/internal/archive"
	"quire/internal/site"
)

// A reader who mutes a user no longer sees that user's comments, or the
// replies under them; other readers still do.
func TestMutedUsersCommentsDisappear(t *testing.T) {
	ctx := context.Background()
	s := newSite(t)
	signup := func(name string) *archive.User {
		u, err := s.Signup(ctx, site.SignupInput{Name: name, Email: name + "@example.test", Password: "correct horse", Confirmation: "correct horse"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	author, loud, reader, other := signup("author"), signup("loud"), signup("reader"), signup("other")
	w, err := s.PostWork(ctx, author, archive.WorkInput{Title: "Quiet", Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
		Fandoms: []string{"F"}, Chapters: []archive.ChapterInput{{Body: "words"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, c, err := s.CommentableChapter(ctx, loud, w.ID, mustFirstChapter(t, s, w).ID)
	if err != nil {
		t.Fatal(err)
	}
	top, err := s.PostComment(ctx, site.Visitor{User: loud, Address: "192.0.2.1"}, w, c, archive.CommentInput{Body: "A loud remark."})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.PostComment(ctx, site.Visitor{User: other, Address: "192.0.2.2"}, w, c, archive.CommentInput{ParentID: top.ID, Body: "A reply."}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PostComment(ctx, site.Visitor{User: other, Address: "192.0.2.2"}, w, c, archive.CommentInput{Body: "Another remark."}); err != nil {
		t.Fatal(err)
	}
	count := func(u *archive.User) int {
		th, err := s.Thread(ctx, u, w, c)
		if err != nil {
			t.Fatal(err)
		}
		return len(site.Flatten(th))
	}
	if got := count(reader); got != 3 {
		t.Fatalf("before muting the reader sees %d comments, want 3", got)
	}
	if _, err := s.SetMutedUsers(ctx, reader, []string{"loud"}); err != nil {
		t.Fatal(err)
	}
	if got := count(reader); got != 1 {
		t.Fatalf("after muting the reader sees %d comments, want 1 (the muted user's comment and the reply under it gone)", got)
	}
	if got := count(other); got != 3 {
		t.Fatalf("another reader sees %d comments, want 3", got)
	}
}

func mustFirstChapter(t *testing.T, s *site.Site, w *archive.Work) *archive.Chapter {
	t.Helper()
	cs, err := s.Chapters(context.Background(), nil, w, false)
	if err != nil || len(cs) == 0 {
		t.Fatalf("chapters: %v", err)
	}
	return cs[0]
}
