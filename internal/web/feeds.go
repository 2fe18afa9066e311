package web

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/formats"
	"quire/internal/listing"
)

// Atom feeds are read by feed readers that have no session: a feed is built
// as an anonymous reader sees the archive (no restricted works, no mutes),
// unless its URL carries a reader's secret feed token (?token=…, see
// feedtokens.go): then as that reader sees it, restricted works and their
// mutes included. Drafts and hidden works never appear in any feed.

const feedEntries = 20

func (srv *Server) tagFeed(w http.ResponseWriter, r *http.Request) error {
	name := tagFromPath(r)
	reader, ok := srv.feedReader(w, r)
	if !ok {
		return nil
	}
	res, err := srv.site.List(r.Context(), reader, listing.Query{Include: []listing.TagRef{{Name: name}}, Sort: "updated", PerPage: feedEntries, SkipFacets: true})
	var unknown *listing.UnknownTagError
	if errors.As(err, &unknown) {
		err = fmt.Errorf("tag feed %q: %w", name, archive.ErrNotFound)
	}
	if err != nil {
		return err
	}
	tagPath := "/tags/" + url.PathEscape(archive.EscapeTagURL(name))
	f := formats.Feed{
		ID:      formats.NameUUID(srv.site.Name + "/tags/" + archive.TagKey(name) + "/feed"),
		Title:   srv.site.Name + ": works in " + name,
		SelfURL: srv.absURL(tagPath+"/feed.atom") + feedTokenQuery(reader, r),
		AltURL:  srv.absURL(tagPath + "/works"),
	}
	for _, wk := range res.Works {
		f.Entries = append(f.Entries, srv.workEntry(wk))
	}
	return srv.writeFeed(w, r, f)
}

func (srv *Server) userFeed(w http.ResponseWriter, r *http.Request) error {
	reader, ok := srv.feedReader(w, r)
	if !ok {
		return nil
	}
	u, err := srv.site.User(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	res, err := srv.site.List(r.Context(), reader, listing.Query{CreatorUserID: u.ID, Sort: "updated", PerPage: feedEntries, SkipFacets: true})
	if err != nil {
		return err
	}
	userPath := "/users/" + url.PathEscape(u.Name)
	f := formats.Feed{
		ID:      formats.NameUUID(srv.site.Name + "/users/" + strconv.FormatInt(u.ID, 10) + "/feed"),
		Title:   srv.site.Name + ": works by " + u.Name,
		SelfURL: srv.absURL(userPath+"/feed.atom") + feedTokenQuery(reader, r),
		AltURL:  srv.absURL(userPath + "/works"),
	}
	for _, wk := range res.Works {
		f.Entries = append(f.Entries, srv.workEntry(wk))
	}
	return srv.writeFeed(w, r, f)
}

// workFeed lists a public work's posted chapters, newest first.
func (srv *Server) workFeed(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	reader, ok := srv.feedReader(w, r)
	if !ok {
		return nil
	}
	work, err := srv.site.FeedWork(ctx, reader, id)
	if err != nil {
		return err
	}
	// As a guest: a work's draft chapters are never in its feed.
	chapters, err := srv.site.Chapters(ctx, nil, work, false)
	if err != nil {
		return err
	}
	workPath := "/works/" + strconv.FormatInt(work.ID, 10)
	f := formats.Feed{
		ID:      formats.NameUUID(srv.site.Name + workPath + "/feed"),
		Title:   srv.site.Name + ": " + work.Title,
		SelfURL: srv.absURL(workPath+"/feed.atom") + feedTokenQuery(reader, r),
		AltURL:  srv.absURL(workPath),
	}
	authors := srv.feedAuthors(work)
	for i := len(chapters) - 1; i >= 0 && len(f.Entries) < feedEntries; i-- {
		c := chapters[i]
		heading := "Chapter " + strconv.Itoa(i+1)
		if t := strings.TrimSpace(c.Title); t != "" {
			heading += ": " + t
		}
		e := formats.Entry{
			ID:          formats.NameUUID(srv.site.Name + workPath + "/chapters/" + strconv.FormatInt(c.ID, 10)),
			Title:       work.Title + " — " + heading,
			Updated:     later(c.UpdatedAt, c.PostedAt),
			Published:   c.PostedAt,
			Authors:     authors,
			Link:        srv.absURL(workPath + "/chapters/" + strconv.FormatInt(c.ID, 10)),
			SummaryHTML: c.Summary.HTML,
		}
		f.Entries = append(f.Entries, e)
	}
	return srv.writeFeed(w, r, f)
}

// workEntry is a work in a tag's or creator's feed, its summary shaped
// like AO3's: byline, summary, then words, chapters, language and tags.
func (srv *Server) workEntry(wk *archive.Work) formats.Entry {
	link := srv.absURL("/works/" + strconv.FormatInt(wk.ID, 10))
	e := formats.Entry{
		ID:        formats.WorkUUID(srv.site.Name, wk.ID),
		Title:     wk.Title,
		Updated:   later(wk.UpdatedAt, wk.PostedAt),
		Published: wk.PostedAt,
		Authors:   srv.feedAuthors(wk),
		Link:      link,
	}
	var b strings.Builder
	var names []string
	for _, a := range e.Authors {
		names = append(names, html.EscapeString(a.Name))
	}
	if len(names) > 0 {
		b.WriteString("<p>by " + strings.Join(names, ", ") + "</p>")
	}
	b.WriteString(wk.Summary.HTML)
	chapters := strconv.Itoa(wk.ChaptersPosted) + "/"
	if wk.ChaptersExpected == 0 {
		chapters += "?"
	} else {
		chapters += strconv.Itoa(wk.ChaptersExpected)
	}
	fmt.Fprintf(&b, "<p>Words: %d, Chapters: %s, Language: %s</p><ul>", wk.Words, chapters, html.EscapeString(wk.Language))
	for _, t := range archive.TagTypes {
		tags := wk.Tags[t]
		if t == archive.TypeRating && len(tags) == 0 {
			tags = []string{wk.Rating()}
		}
		if len(tags) == 0 {
			continue
		}
		b.WriteString("<li>" + html.EscapeString(t.Label()) + ": ")
		for i, name := range tags {
			if i > 0 {
				b.WriteString(", ")
			}
			href := srv.absURL("/tags/" + url.PathEscape(archive.EscapeTagURL(name)) + "/works")
			b.WriteString(`<a href="` + html.EscapeString(href) + `">` + html.EscapeString(name) + "</a>")
			e.Categories = append(e.Categories, formats.Category{Term: name, Label: t.Label() + ": " + name})
		}
		b.WriteString("</li>")
	}
	b.WriteString("</ul>")
	e.SummaryHTML = b.String()
	return e
}

func (srv *Server) feedAuthors(wk *archive.Work) []formats.Person {
	var out []formats.Person
	for _, c := range wk.Creators {
		p := formats.Person{Name: c.Pseud}
		if c.UserName != "" {
			p.URI = srv.absURL("/users/" + url.PathEscape(c.UserName))
		}
		out = append(out, p)
	}
	return out
}

func (srv *Server) writeFeed(w http.ResponseWriter, r *http.Request, f formats.Feed) error {
	f.Generator = "Quire"
	f.Author = srv.site.Name
	var buf bytes.Buffer
	if err := formats.Atom(&buf, f); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	if r.URL.Query().Get("token") != "" || r.PathValue("token") != "" {
		// A reader's own view: no shared cache may keep it.
		w.Header().Set("Cache-Control", "private, max-age=300")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	w.Write(buf.Bytes())
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
