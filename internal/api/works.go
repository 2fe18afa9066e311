package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"quire/internal/archive"
	"quire/internal/site"
)

// workJSON is the API's WORK (SPEC field list), plus "draft" for the work's
// creators and "chapters" where one work is shown.
type workJSON struct {
	ID                 int64    `json:"id"`
	Title              string   `json:"title"`
	Creators           []string `json:"creators"`
	Summary            string   `json:"summary"`
	Notes              string   `json:"notes"`
	EndNotes           string   `json:"end_notes"`
	Rating             string   `json:"rating"`
	Warnings           []string `json:"warnings"`
	Categories         []string `json:"categories"`
	Fandoms            []string `json:"fandoms"`
	Relationships      []string `json:"relationships"`
	Characters         []string `json:"characters"`
	Freeforms          []string `json:"freeforms"`
	Language           string   `json:"language"`
	Series             []any    `json:"series"`
	Words              int      `json:"words"`
	ChaptersPosted     int      `json:"chapters_posted"`
	ChaptersExpected   *int     `json:"chapters_expected"`
	Complete           bool     `json:"complete"`
	Restricted         bool     `json:"restricted"`
	CommentPermissions string   `json:"comment_permissions"`
	ModeratedComments  bool     `json:"moderated_comments"`
	PostedAt           *string  `json:"posted_at"`
	UpdatedAt          *string  `json:"updated_at"`
	Hits               int64    `json:"hits"`
	Kudos              int64    `json:"kudos"`
	Comments           int64    `json:"comments"`
	Bookmarks          int64    `json:"bookmarks"`
	URL                string   `json:"url"`
	Draft              *bool    `json:"draft,omitempty"`
	PublishAt          *string  `json:"publish_at,omitempty"` // a scheduled draft's first publication (editors only)
	// Hidden and HiddenReason are sent only for a hidden work, which only
	// its creators and moderators can read.
	Hidden       bool   `json:"hidden,omitempty"`
	HiddenReason string `json:"hidden_reason,omitempty"`
	// AwaitingReview is shown to those who see a held work: it is not
	// public until a moderator approves it.
	AwaitingReview bool `json:"awaiting_review,omitempty"`
	// Gifts are the recipients' names; Mystery marks an unrevealed work
	// the caller sees nothing of.
	Gifts   []string `json:"gifts"`
	Mystery bool     `json:"mystery,omitempty"`
	// Collections are the collections the work is in (one work only).
	Collections []collectionRefJSON `json:"collections,omitempty"`
	// Related are the works this one names, InspiredWorks the approved
	// works naming it (one work only).
	Related       []relatedJSON `json:"related,omitempty"`
	InspiredWorks []relatedJSON `json:"inspired_works,omitempty"`

	Chapters *[]chapterMetaJSON `json:"chapters,omitempty"`
	masked   bool
}

// chapterMetaJSON is one entry of a work's chapter list (no bodies).
type chapterMetaJSON struct {
	ID       int64   `json:"id"`
	Position int     `json:"position"`
	Title    string  `json:"title"`
	Words    int     `json:"words"`
	PostedAt *string `json:"posted_at"`
	Draft    *bool   `json:"draft,omitempty"`
}

// nonNil makes a JSON array of a possibly nil slice.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (a *server) workURL(id int64) string {
	return strings.TrimRight(a.site.BaseURL, "/") + "/works/" + strconv.FormatInt(id, 10)
}

// work renders w for u.
func (a *server) work(u *archive.User, w *archive.Work) *workJSON {
	j := &workJSON{
		ID:                 w.ID,
		Title:              w.Title,
		Creators:           make([]string, 0, len(w.Creators)),
		Summary:            w.Summary.HTML,
		Notes:              w.Notes.HTML,
		EndNotes:           w.EndNotes.HTML,
		Rating:             w.Rating(),
		Warnings:           nonNil(w.Tags[archive.TypeWarning]),
		Categories:         nonNil(w.Tags[archive.TypeCategory]),
		Fandoms:            nonNil(w.Tags[archive.TypeFandom]),
		Relationships:      nonNil(w.Tags[archive.TypeRelationship]),
		Characters:         nonNil(w.Tags[archive.TypeCharacter]),
		Freeforms:          nonNil(w.Tags[archive.TypeFreeform]),
		Language:           w.Language,
		Series:             []any{},
		Words:              w.Words,
		ChaptersPosted:     w.ChaptersPosted,
		Complete:           w.Complete(),
		Restricted:         w.Restricted,
		CommentPermissions: w.CommentPermission,
		ModeratedComments:  w.ModeratedComments,
		PostedAt:           timestamp(w.PostedAt),
		UpdatedAt:          timestamp(w.UpdatedAt),
		Hits:               w.Hits,
		Kudos:              w.Kudos,
		Comments:           w.Comments,
		Bookmarks:          w.Bookmarks,
		URL:                a.workURL(w.ID),
	}
	for _, c := range w.Creators {
		j.Creators = append(j.Creators, c.Pseud)
	}
	if w.ChaptersExpected > 0 {
		n := w.ChaptersExpected
		j.ChaptersExpected = &n
	}
	if site.CanEdit(u, w) {
		d := w.Draft
		j.Draft = &d
		if !w.PublishAt.IsZero() {
			j.PublishAt = timestamp(w.PublishAt)
		}
	}
	j.Hidden, j.HiddenReason = w.Hidden, w.HiddenReason
	j.AwaitingReview = w.AwaitingReview
	j.Gifts = []string{}
	for _, g := range w.Gifts {
		j.Gifts = append(j.Gifts, g.Name)
	}
	j.Mystery, j.masked = w.Mystery, w.Masked
	return j
}

// workWithChapters renders w for u with the chapter list u may see.
func (a *server) workWithChapters(r *http.Request, u *archive.User, w *archive.Work) (*workJSON, error) {
	cs, err := a.site.Chapters(r.Context(), u, w, false)
	if err != nil {
		return nil, err
	}
	editor := site.CanEdit(u, w)
	list := make([]chapterMetaJSON, 0, len(cs))
	for _, c := range cs {
		m := chapterMetaJSON{ID: c.ID, Position: c.Position, Title: c.Title, Words: c.Words, PostedAt: timestamp(c.PostedAt)}
		if editor {
			d := c.Draft
			m.Draft = &d
		}
		list = append(list, m)
	}
	j := a.work(u, w)
	j.Chapters = &list
	if err := a.fillSeries(r.Context(), j); err != nil {
		return nil, err
	}
	items, err := a.site.WorkCollections(r.Context(), u, w)
	if err != nil {
		return nil, err
	}
	j.Collections = []collectionRefJSON{}
	for _, it := range items {
		j.Collections = append(j.Collections, collectionRefJSON{Name: it.CollectionName, Title: it.CollectionTitle, State: it.State})
	}
	if err := a.fillRelated(r.Context(), u, w, j); err != nil {
		return nil, err
	}
	return j, nil
}

// workBody is a work as POST and PATCH accept it. Field presence (for
// PATCH) comes from readJSON's key set, so plain types suffice: a JSON null
// leaves the zero value, which means "empty" or "unknown".
type workBody struct {
	prefaceBody
	Rating             string        `json:"rating"`
	Warnings           []string      `json:"warnings"`
	Categories         []string      `json:"categories"`
	Fandoms            []string      `json:"fandoms"`
	Relationships      []string      `json:"relationships"`
	Characters         []string      `json:"characters"`
	Freeforms          []string      `json:"freeforms"`
	Language           string        `json:"language"`
	ChaptersExpected   int           `json:"chapters_expected"`
	Restricted         bool          `json:"restricted"`
	Draft              bool          `json:"draft"`
	PostedAt           string        `json:"posted_at"`
	CommentPermissions string        `json:"comment_permissions"`
	ModeratedComments  bool          `json:"moderated_comments"`
	Creators           []string      `json:"creators"`    // pseud names: the caller's for the byline (PATCH: replaces the caller's), others' are invited
	CoCreators         []string      `json:"co_creators"` // other accounts' pseuds to invite
	PublishAt          *string       `json:"publish_at"`  // schedules a draft's first publication
	Chapters           []chapterBody `json:"chapters"`
	Collections        []string      `json:"collections"`
	Gifts              []string      `json:"gifts"`
	Related            []relatedBody `json:"related"`
	Claims             []int64       `json:"claims"` // prompt-meme claims the work fills
}

// apply writes the fields present in the body onto in.
func (b *workBody) apply(in *archive.WorkInput, present map[string]bool) error {
	set := func(key string, f func()) {
		if present[key] {
			f()
		}
	}
	b.prefaceBody.apply(preface{&in.Title, &in.Summary, &in.Notes, &in.EndNotes, &in.SummaryFormat, &in.NotesFormat, &in.EndNotesFormat}, present)
	set("rating", func() { in.Rating = b.Rating })
	set("warnings", func() { in.Warnings = b.Warnings })
	set("categories", func() { in.Categories = b.Categories })
	set("fandoms", func() { in.Fandoms = b.Fandoms })
	set("relationships", func() { in.Relationships = b.Relationships })
	set("characters", func() { in.Characters = b.Characters })
	set("freeforms", func() { in.Freeforms = b.Freeforms })
	set("language", func() { in.Language = b.Language })
	set("chapters_expected", func() { in.ChaptersExpected = b.ChaptersExpected })
	set("restricted", func() { in.Restricted = b.Restricted })
	set("draft", func() { in.Draft = b.Draft })
	set("comment_permissions", func() { in.CommentPermission = strings.TrimSpace(b.CommentPermissions) })
	set("moderated_comments", func() { in.ModeratedComments = b.ModeratedComments })
	set("collections", func() { c := nonNil(b.Collections); in.Collections = &c })
	set("gifts", func() { g := nonNil(b.Gifts); in.Gifts = &g })
	set("related", func() { rel := relatedInputs(b.Related); in.Related = &rel })
	set("claims", func() { c := nonNil(b.Claims); in.Claims = &c })
	if present["posted_at"] && strings.TrimSpace(b.PostedAt) != "" {
		t, err := parsePostedAt(b.PostedAt)
		if err != nil {
			return err
		}
		in.PostedAt = t
	}
	return nil
}

// inputFromWork is the stored work as an edit form would show it.
func inputFromWork(w *archive.Work) archive.WorkInput { return archive.InputFromWork(w) }

// POST /api/v1/works
func (a *server) createWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	var b workBody
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	var in archive.WorkInput
	if err := b.apply(&in, present); err != nil {
		return err
	}
	in.Pseuds, in.CoCreators = b.Creators, b.CoCreators
	if in.PublishAt, err = a.publishAt(u, b.PublishAt); err != nil {
		return err
	}
	for i, c := range b.Chapters {
		ci := c.input()
		if ci.PublishAt, err = a.publishAt(u, c.PublishAt); err != nil {
			var ve *archive.ValidationError
			if errors.As(err, &ve) {
				ve.Field = "chapters[" + strconv.Itoa(i) + "]." + ve.Field
			}
			return err
		}
		in.Chapters = append(in.Chapters, ci)
	}
	work, err := a.site.PostWork(r.Context(), u, in)
	if err != nil {
		return err
	}
	j, err := a.workWithChapters(r, u, work)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/works/"+strconv.FormatInt(work.ID, 10))
	writeJSON(w, http.StatusCreated, j)
	return nil
}

// GET /api/v1/works/{id}
func (a *server) getWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	work, err := a.site.Work(r.Context(), u, id)
	if err != nil {
		return err
	}
	j, err := a.workWithChapters(r, u, work)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// PATCH /api/v1/works/{id}: only the fields present change.
func (a *server) editWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	work, err := a.site.EditableWork(r.Context(), u, id)
	if err != nil {
		return err
	}
	var b workBody
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	in := inputFromWork(work)
	if err := b.apply(&in, present); err != nil {
		return err
	}
	if present["creators"] {
		in.Pseuds = b.Creators
	}
	in.CoCreators = b.CoCreators
	if present["publish_at"] {
		if in.PublishAt, err = a.publishAt(u, b.PublishAt); err != nil {
			return err
		}
	}
	edited, err := a.site.EditWork(r.Context(), u, id, in)
	if err != nil {
		return err
	}
	j, err := a.workWithChapters(r, u, edited)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, j)
	return nil
}

// DELETE /api/v1/works/{id}
func (a *server) deleteWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.site.DeleteWork(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
