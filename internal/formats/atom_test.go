package formats_test

import (
	"bytes"
	"encoding/xml"
	"testing"
	"time"

	"quire/internal/formats"
)

func TestAtom(t *testing.T) {
	f := formats.Feed{
		ID: formats.NameUUID("Quire/tags/x/feed"), Title: "Quire: works in A & B <C>", SelfURL: "http://quire.test/tags/A/feed.atom",
		AltURL: "http://quire.test/tags/A/works", Author: "Quire",
		Entries: []formats.Entry{
			{ID: formats.WorkUUID("Quire", 2), Title: "Second \x01 Tide", Updated: updated, Published: posted,
				Authors: []formats.Person{{Name: "keeper", URI: "http://quire.test/users/keeper"}}, Link: "http://quire.test/works/2",
				SummaryHTML: "<p>A <em>summary</em> &amp; more.</p>", Categories: []formats.Category{{Term: "Ada/Bea"}, {Term: "Fluff"}}},
			{ID: formats.WorkUUID("Quire", 1), Title: "First Light", Updated: posted, Published: posted},
		},
	}
	var buf bytes.Buffer
	if err := formats.Atom(&buf, f); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, "feed", buf.String())
	var got struct {
		XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
		ID      string   `xml:"id"`
		Title   string   `xml:"title"`
		Updated string   `xml:"updated"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID        string `xml:"id"`
			Title     string `xml:"title"`
			Updated   string `xml:"updated"`
			Published string `xml:"published"`
			Author    []struct {
				Name string `xml:"name"`
			} `xml:"author"`
			Summary struct {
				Type string `xml:"type,attr"`
				Body string `xml:",chardata"`
			} `xml:"summary"`
			Categories []struct {
				Term string `xml:"term,attr"`
			} `xml:"category"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != f.ID || got.Title != f.Title || got.Updated != "2024-04-02T18:05:07Z" || len(got.Links) != 2 || got.Links[0].Rel != "self" {
		t.Fatalf("feed head: %+v", got)
	}
	if len(got.Entries) != 2 {
		t.Fatalf("%d entries", len(got.Entries))
	}
	e := got.Entries[0]
	if e.ID != formats.WorkUUID("Quire", 2) || e.Published != "2024-03-01T09:30:00Z" || e.Summary.Type != "html" ||
		e.Summary.Body != f.Entries[0].SummaryHTML || len(e.Categories) != 2 || e.Author[0].Name != "keeper" {
		t.Fatalf("entry: %+v", e)
	}

	// An empty feed is still valid and dated.
	buf.Reset()
	if err := formats.Atom(&buf, formats.Feed{ID: "urn:x", Title: "Empty"}); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(buf.Bytes(), &got); err != nil || got.Updated == "" {
		t.Fatalf("empty feed: %v %q", err, got.Updated)
	}
	if _, err := time.Parse(time.RFC3339, got.Updated); err != nil {
		t.Fatal(err)
	}
}
