package formats

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// Feed is an Atom 1.0 feed (RFC 4287). URLs are absolute.
type Feed struct {
	ID        string // stable: a urn:uuid (see NameUUID) or tag: URI
	Title     string
	Subtitle  string
	Updated   time.Time // zero: the newest entry's, else now
	SelfURL   string    // the feed itself
	AltURL    string    // the page the feed follows
	Generator string
	Author    string // the feed's author (the site), for entries without one
	Entries   []Entry
}

// Entry is one work or chapter in a feed.
type Entry struct {
	ID          string
	Title       string
	Updated     time.Time
	Published   time.Time
	Authors     []Person
	Link        string
	SummaryHTML string // sanitized HTML; sent as type="html"
	Categories  []Category
}

// Person is an author.
type Person struct {
	Name string
	URI  string
}

// Category is a tag on an entry.
type Category struct {
	Term   string
	Scheme string // e.g. the tag type's URL
	Label  string
}

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID        string      `xml:"id"`
	Title     atomText    `xml:"title"`
	Subtitle  *atomText   `xml:"subtitle,omitempty"`
	Updated   string      `xml:"updated"`
	Links     []atomLink  `xml:"link"`
	Author    *atomPerson `xml:"author,omitempty"`
	Generator string      `xml:"generator,omitempty"`
	Entries   []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Authors    []atomPerson   `xml:"author"`
	Links      []atomLink     `xml:"link"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Categories []atomCategory `xml:"category"`
}

func atomTime(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// Atom writes the feed as Atom 1.0.
func Atom(out io.Writer, f Feed) error {
	updated := f.Updated
	if updated.IsZero() {
		for _, e := range f.Entries {
			if e.Updated.After(updated) {
				updated = e.Updated
			}
		}
	}
	if updated.IsZero() {
		updated = time.Now()
	}
	af := atomFeed{ID: f.ID, Title: atomText{Type: "text", Body: f.Title}, Updated: atomTime(updated), Generator: f.Generator}
	if f.Subtitle != "" {
		af.Subtitle = &atomText{Type: "text", Body: f.Subtitle}
	}
	if f.SelfURL != "" {
		af.Links = append(af.Links, atomLink{Rel: "self", Type: "application/atom+xml", Href: f.SelfURL})
	}
	if f.AltURL != "" {
		af.Links = append(af.Links, atomLink{Rel: "alternate", Type: "text/html", Href: f.AltURL})
	}
	if f.Author != "" {
		af.Author = &atomPerson{Name: f.Author}
	}
	for _, e := range f.Entries {
		ae := atomEntry{ID: e.ID, Title: atomText{Type: "text", Body: e.Title}, Updated: atomTime(e.Updated)}
		if e.Updated.IsZero() {
			ae.Updated = af.Updated
		}
		if !e.Published.IsZero() {
			ae.Published = atomTime(e.Published)
		}
		for _, a := range e.Authors {
			ae.Authors = append(ae.Authors, atomPerson{Name: a.Name, URI: a.URI})
		}
		if len(ae.Authors) == 0 && af.Author == nil {
			// RFC 4287: every entry has an author, its own or the feed's.
			ae.Authors = []atomPerson{{Name: "Anonymous"}}
		}
		if e.Link != "" {
			ae.Links = append(ae.Links, atomLink{Rel: "alternate", Type: "text/html", Href: e.Link})
		}
		if e.SummaryHTML != "" {
			ae.Summary = &atomText{Type: "html", Body: e.SummaryHTML}
		}
		for _, c := range e.Categories {
			ae.Categories = append(ae.Categories, atomCategory{Term: c.Term, Scheme: c.Scheme, Label: c.Label})
		}
		af.Entries = append(af.Entries, ae)
	}
	if _, err := io.WriteString(out, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(out)
	enc.Indent("", "  ")
	if err := enc.Encode(af); err != nil {
		return fmt.Errorf("atom: %w", err)
	}
	_, err := io.WriteString(out, "\n")
	return err
}
