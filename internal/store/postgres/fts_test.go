package postgres_test

import (
	"context"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"quire/internal/archive"
	"quire/internal/store"
	"quire/internal/store/sqlite"
	"quire/internal/store/sqlstore"
)

// The two engines' full text give the same result sets (rank order is not
// compared) for every query shape the q syntax makes: words, phrases, OR
// groups, exclusions, over titles, tags, creators and bodies.
func TestFullTextSameSetsOnBothEngines(t *testing.T) {
	ctx := context.Background()
	pg, _ := openPG(t)
	lite, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()

	vocab := strings.Fields(`harbor lantern quiet market tide ferry keeper's well-worn 1999 night
		rope gull north storm salt bell morning tea letter window shore cliff ALL-CAPS Über naïve`)
	r := rand.New(rand.NewSource(7))
	sentence := func(n int) string {
		w := make([]string, n)
		for i := range w {
			w[i] = vocab[r.Intn(len(vocab))]
		}
		return strings.Join(w, " ")
	}
	var texts []string
	for _, st := range []*sqlstore.Store{lite, pg} {
		r.Seed(7)
		texts = texts[:0]
		u := &archive.User{Name: "searcher", Email: "s@example.test"}
		if err := st.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		ps, err := st.Pseuds(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var batch []store.NewWork
		for i := range 120 {
			title, body := sentence(3), sentence(40)
			texts = append(texts, title+" "+body)
			w := &archive.Work{Title: title, Language: "en", CommentPermission: archive.CommentsRegistered,
				PostedAt: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
				Tags: map[archive.TagType][]string{
					archive.TypeRating: {archive.RatingGeneral}, archive.TypeWarning: {archive.WarningNone},
					archive.TypeFandom: {fmt.Sprintf("Fandom %d", i%5)}, archive.TypeFreeform: {vocab[i%len(vocab)] + " feelings"}},
			}
			c := &archive.Chapter{Body: archive.Rich{Source: body, Format: archive.FormatHTML, HTML: "<p>" + body + "</p>"}, Words: 40}
			batch = append(batch, store.NewWork{Work: w, Chapters: []*archive.Chapter{c}, PseudIDs: []int64{ps[0].ID}})
		}
		if err := st.CreateWorks(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}

	word := func() string { return vocab[r.Intn(len(vocab))] }
	phrase := func() string { // two neighbouring words of some text
		f := strings.Fields(texts[r.Intn(len(texts))])
		i := r.Intn(len(f) - 1)
		return f[i] + " " + f[i+1]
	}
	queries := []store.TextQuery{
		{Terms: []string{"searcher"}},
		{Terms: []string{"fandom 3"}},
		{Terms: []string{"feelings"}, Not: []string{"harbor"}},
		{Terms: []string{"keeper's"}},
		{Terms: []string{"well-worn"}},
		{Terms: []string{"all-caps"}},
		{Terms: []string{"1999"}},
	}
	for range 150 {
		var q store.TextQuery
		switch r.Intn(4) {
		case 0:
			q.Terms = []string{word()}
		case 1:
			q.Terms = []string{phrase()}
		case 2:
			q.Terms = []string{word(), word()}
			q.Not = []string{word()}
		case 3:
			q.AnyOf = [][]string{{word(), phrase()}}
			q.Terms = []string{word()}
		}
		queries = append(queries, q)
	}
	nonEmpty := 0
	for _, q := range queries {
		a, err := lite.SearchText(ctx, q)
		if err != nil {
			t.Fatalf("SQLite %+v: %v", q, err)
		}
		b, err := pg.SearchText(ctx, q)
		if err != nil {
			t.Fatalf("PostgreSQL %+v: %v", q, err)
		}
		if !slices.Equal(a, b) {
			t.Errorf("%+v: SQLite %v, PostgreSQL %v", q, a, b)
		}
		if len(a) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < len(queries)/2 {
		t.Errorf("only %d of %d queries matched anything: the comparison says little", nonEmpty, len(queries))
	}
}
