package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"quire/internal/archive"
	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/web"
)

// BenchmarkListingPage is the HTML listing (/works, 20 blurbs and the
// sidebar) as a guest, in English and in German, through the real handler
// over loopback HTTP. The rendering cost of the languages: compare with
// the same benchmark on the build before them.
//
//	go test -run '^$' -bench ListingPage -benchmem ./internal/web/
func BenchmarkListingPage(b *testing.B) {
	ctx := context.Background()
	a := sitetest.New(b)
	h, err := web.New(a.Site, web.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	writer, err := a.Site.Signup(ctx, site.SignupInput{Name: "writer", Email: "writer@example.test", Password: "correct horse", Confirmation: "correct horse", Operator: true})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 40 {
		if _, err := a.Site.PostWork(ctx, writer, archive.WorkInput{Title: fmt.Sprintf("Listing Work %d", i), Rating: archive.Ratings[i%5],
			Warnings: []string{archive.Warnings[i%6]}, Categories: []string{archive.Categories[i%6]},
			Fandoms: []string{fmt.Sprintf("Fandom %d", i%4)}, Characters: []string{"A", "B"}, Freeforms: []string{"Fluff", fmt.Sprintf("Tag %d", i%7)},
			Summary: "A work in a listing.", Chapters: []archive.ChapterInput{{Body: "<p>Some words of the chapter.</p>"}}}); err != nil {
			b.Fatal(err)
		}
	}
	for _, lang := range []string{"en", "de"} {
		b.Run(lang, func(b *testing.B) {
			c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/works?sort=title", nil)
			req.Header.Set("Accept-Language", lang)
			for b.Loop() {
				resp, err := c.Do(req)
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
