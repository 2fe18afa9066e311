package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/web"
)

// BenchmarkWorkPage is the page readers open most: a chapter of a work with
// kudos and a comment thread, as a guest and as a logged-in reader (whose
// view also writes their history), through the real handler over loopback
// HTTP with keep-alive, and an entire work.
//
//	go test -run '^$' -bench WorkPage -benchmem ./internal/web/
func BenchmarkWorkPage(b *testing.B) {
	ctx := context.Background()
	a := sitetest.New(b)
	h, err := web.New(a.Site, web.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	signup := func(name string) *archive.User {
		u, err := a.Site.Signup(ctx, site.SignupInput{Name: name, Email: name + "@example.test", Password: "correct horse", Confirmation: "correct horse", Operator: true})
		if err != nil {
			b.Fatal(err)
		}
		return u
	}
	writer := signup("writer")
	var chapters []archive.ChapterInput
	for i := range 5 {
		chapters = append(chapters, archive.ChapterInput{Body: strings.Repeat(fmt.Sprintf("<p>Paragraph of chapter %d, with <em>some</em> words in it.</p>", i+1), 60)})
	}
	w, err := a.Site.PostWork(ctx, writer, archive.WorkInput{Title: "Benchmark Work", Rating: archive.RatingGeneral, Warnings: []string{archive.WarningNone},
		Fandoms: []string{"Bench Fandom"}, Characters: []string{"A", "B"}, Freeforms: []string{"Fluff", "Angst"},
		Summary: "A work to read again and again.", Chapters: chapters})
	if err != nil {
		b.Fatal(err)
	}
	cs, err := a.Site.Chapters(ctx, writer, w, false)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 12 {
		u := signup(fmt.Sprintf("reader%d", i))
		if _, err := a.Site.GiveKudos(ctx, site.Visitor{User: u, Address: "192.0.2.1"}, w.ID); err != nil {
			b.Fatal(err)
		}
		if _, err := a.Site.PostComment(ctx, site.Visitor{User: u, Address: fmt.Sprintf("192.0.2.%d", i+1)}, w, cs[1],
			archive.CommentInput{Body: fmt.Sprintf("Comment %d: loved this chapter.", i)}); err != nil {
			b.Fatal(err)
		}
	}
	reader := signup("reader")
	_ = reader
	client := func(login bool) *http.Client {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		if login {
			resp, err := c.PostForm(srv.URL+"/login", url.Values{"login": {"reader"}, "password": {"correct horse"}})
			if err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
		}
		return c
	}
	chapter := fmt.Sprintf("%s/works/%d/chapters/%d", srv.URL, w.ID, cs[1].ID)
	for _, bc := range []struct {
		name  string
		login bool
		url   string
	}{
		{"guest", false, chapter},
		{"reader", true, chapter},
		{"entire", true, fmt.Sprintf("%s/works/%d?view_full_work=true", srv.URL, w.ID)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := client(bc.login)
			for b.Loop() {
				resp, err := c.Get(bc.url)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("status %d", resp.StatusCode)
				}
			}
		})
	}
}
