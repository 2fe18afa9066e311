package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/httperr"
	"quire/internal/listing"
	"quire/internal/site"
)

// bookmarkJSON is one bookmark. A bookmark whose work is gone (or that the
// owner may no longer see) has "work": null, "available": false and a
// "status" saying so; work_title still names the work.
type bookmarkJSON struct {
	ID          int64     `json:"id"`
	User        string    `json:"user"`
	WorkID      *int64    `json:"work_id"`
	SeriesID    *int64    `json:"series_id"`
	WorkTitle   string    `json:"work_title"`
	Available   bool      `json:"available"`
	Status      string    `json:"status,omitempty"`
	Work        *workJSON `json:"work"`
	Notes       string    `json:"notes"`
	NotesSource *string   `json:"notes_source,omitempty"`
	NotesFormat *string   `json:"notes_format,omitempty"`
	Tags        []string  `json:"tags"`
	Rec         bool      `json:"rec"`
	Private     bool      `json:"private"`
	CreatedAt   *string   `json:"created_at"`
	UpdatedAt   *string   `json:"updated_at"`

	// A bookmark of a series has series_id, series_title and series (left
	// out once the series is gone) in place of the work fields.
	SeriesTitle *string             `json:"series_title,omitempty"`
	Series      *bookmarkSeriesJSON `json:"series,omitempty"`
}

func (a *server) bookmark(u *archive.User, item site.BookmarkItem) *bookmarkJSON {
	b := item.Bookmark
	j := &bookmarkJSON{ID: b.ID, User: b.UserName, WorkTitle: b.WorkTitle, Notes: b.Notes.HTML, Tags: nonNil(b.Tags),
		Rec: b.Rec, Private: b.Private, CreatedAt: timestamp(b.CreatedAt), UpdatedAt: timestamp(b.UpdatedAt)}
	if b.WorkID != 0 {
		id := b.WorkID
		j.WorkID = &id
	}
	if b.OfSeries {
		a.seriesBookmark(j, item)
	} else if item.Work != nil {
		j.Available = true
		j.Work = a.work(u, item.Work)
		j.WorkTitle = item.Work.Title
	} else {
		j.Status = site.GoneMessage
	}
	if u != nil && u.ID == b.UserID {
		src, f := b.Notes.Source, string(b.Notes.Format)
		j.NotesSource, j.NotesFormat = &src, &f
	}
	return j
}

// bookmarkBody is a bookmark as POST and PATCH accept it.
type bookmarkBody struct {
	WorkID      int64    `json:"work_id"`
	SeriesID    int64    `json:"series_id"`
	Notes       string   `json:"notes"`
	NotesFormat *string  `json:"notes_format"`
	Tags        []string `json:"tags"`
	Rec         bool     `json:"rec"`
	Private     bool     `json:"private"`
}

func (b *bookmarkBody) apply(in *archive.BookmarkInput, present map[string]bool) {
	if present["work_id"] {
		in.WorkID = b.WorkID
	}
	if present["series_id"] {
		in.SeriesID = b.SeriesID
	}
	if present["notes"] {
		in.Notes = b.Notes
	}
	if present["notes_format"] {
		in.NotesFormat = format(b.NotesFormat)
	}
	if present["tags"] {
		in.Tags = b.Tags
	}
	if present["rec"] {
		in.Rec = b.Rec
	}
	if present["private"] {
		in.Private = b.Private
	}
}

// bookmarkListJSON is a bookmark listing: the page, the facets over the
// bookmarked works' tags and the bookmarkers' own tags, counted in
// bookmarks. A user's list also has, on its first unfiltered page, their
// series bookmarks first (the index holds work bookmarks; total counts
// both, so that page may hold more than per_page).
type bookmarkListJSON struct {
	Total          int                        `json:"total"`
	Page           int                        `json:"page"`
	PerPage        int                        `json:"per_page"`
	Bookmarks      []*bookmarkJSON            `json:"bookmarks"`
	Facets         map[string][]listing.Facet `json:"facets"`
	BookmarkerTags []listing.Facet            `json:"bookmarker_tags"`
}

func (a *server) writeBookmarks(w http.ResponseWriter, u *archive.User, l *site.BookmarkListing) {
	out := bookmarkListJSON{Total: l.Total + len(l.Series), Page: l.Page, PerPage: l.PerPage, Bookmarks: make([]*bookmarkJSON, 0, len(l.Items)),
		Facets: map[string][]listing.Facet{}, BookmarkerTags: nonNil(l.BookmarkerTags)}
	for _, item := range l.Series {
		out.Bookmarks = append(out.Bookmarks, a.bookmark(u, item))
	}
	for _, item := range l.Items {
		out.Bookmarks = append(out.Bookmarks, a.bookmark(u, item))
	}
	for _, t := range listing.FacetTypes {
		out.Facets[string(t)] = nonNil(l.Facets[t])
	}
	writeJSON(w, http.StatusOK, out)
}

// GET /api/v1/bookmarks: every public bookmark the caller may see, with
// the listing's work filters, bookmark_tag, exclude_bookmark_tag, rec and
// sort=bookmarked|updated.
func (a *server) bookmarksIndex(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	v := r.URL.Query()
	q, err := listing.ParseBookmarkValues(v)
	if err != nil {
		return err
	}
	l, err := a.site.ListBookmarks(r.Context(), u, q, v.Get("q"))
	if err != nil {
		return err
	}
	a.writeBookmarks(w, u, l)
	return nil
}

// GET /api/v1/tags/{name}/bookmarks: the bookmarks of works a filter on
// the tag matches.
func (a *server) tagBookmarks(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	v := r.URL.Query()
	q, err := listing.ParseBookmarkValues(v)
	if err != nil {
		return err
	}
	l, err := a.site.TagBookmarks(r.Context(), u, tagName(r), q, v.Get("q"))
	if err != nil {
		return err
	}
	a.writeBookmarks(w, u, l)
	return nil
}

// GET /api/v1/users/{name}/bookmarks
func (a *server) listBookmarks(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	v := r.URL.Query()
	q, err := listing.ParseBookmarkValues(v)
	if err != nil {
		return err
	}
	l, err := a.site.UserBookmarks(r.Context(), u, r.PathValue("name"), q, v.Get("q"))
	if err != nil {
		return err
	}
	a.writeBookmarks(w, u, l)
	return nil
}

// POST /api/v1/users/{name}/bookmarks: the caller bookmarks a work; name
// must be the caller.
func (a *server) createBookmark(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	owner, err := a.site.User(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	if owner.ID != u.ID {
		return httperr.New(http.StatusForbidden, "forbidden", "you can add bookmarks only to your own list, /api/v1/users/"+u.Name+"/bookmarks")
	}
	var body bookmarkBody
	present, err := a.readJSON(w, r, &body)
	if err != nil {
		return err
	}
	var in archive.BookmarkInput
	body.apply(&in, present)
	if !present["work_id"] && !present["series_id"] {
		return archive.Invalid("work_id", "is required (or series_id)")
	}
	b, err := a.site.CreateBookmark(r.Context(), u, in)
	if errors.Is(err, archive.ErrConflict) {
		what := "work"
		if in.SeriesID != 0 {
			what = "series"
		}
		return httperr.New(http.StatusConflict, "conflict", "you have already bookmarked this "+what+"; edit that bookmark instead")
	}
	if err != nil {
		return err
	}
	item, err := a.site.VisibleBookmark(r.Context(), u, b.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Location", strings.TrimRight(a.site.BaseURL, "/")+"/api/v1/bookmarks/"+strconv.FormatInt(b.ID, 10))
	writeJSON(w, http.StatusCreated, a.bookmark(u, *item))
	return nil
}

// GET /api/v1/bookmarks/{id}
func (a *server) getBookmark(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	item, err := a.site.VisibleBookmark(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.bookmark(u, *item))
	return nil
}

// PATCH /api/v1/bookmarks/{id}: the fields present change.
func (a *server) editBookmark(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := a.site.EditableBookmark(r.Context(), u, id)
	if err != nil {
		return err
	}
	var body bookmarkBody
	present, err := a.readJSON(w, r, &body)
	if err != nil {
		return err
	}
	in := archive.BookmarkInputOf(b)
	body.apply(&in, present)
	if _, err := a.site.UpdateBookmark(r.Context(), u, id, in); err != nil {
		return err
	}
	item, err := a.site.VisibleBookmark(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a.bookmark(u, *item))
	return nil
}

// DELETE /api/v1/bookmarks/{id}
func (a *server) deleteBookmark(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.site.DeleteBookmark(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
