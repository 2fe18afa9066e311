package api

import (
	"net/http"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// chapterJSON is one chapter with its sanitized HTML.
type chapterJSON struct {
	ID       int64   `json:"id"`
	Position int     `json:"position"`
	Title    string  `json:"title"`
	Summary  string  `json:"summary"`
	Notes    string  `json:"notes"`
	EndNotes string  `json:"end_notes"`
	Body     string  `json:"body"`
	Words    int     `json:"words"`
	PostedAt *string `json:"posted_at"`
	Draft    *bool   `json:"draft,omitempty"`
	// PublishAt is a scheduled draft's publication (editors only).
	PublishAt *string `json:"publish_at,omitempty"`
	// Creators is the chapter's byline (pseud names) when it differs from
	// its work's; absent otherwise, and on a work whose collection hides
	// its creators.
	Creators []string `json:"creators,omitempty"`
}

func chapterOut(w *archive.Work, c *archive.Chapter, editor bool) *chapterJSON {
	j := &chapterJSON{
		ID: c.ID, Position: c.Position, Title: c.Title,
		Summary: c.Summary.HTML, Notes: c.Notes.HTML, EndNotes: c.EndNotes.HTML, Body: c.Body.HTML,
		Words: c.Words, PostedAt: timestamp(c.PostedAt),
	}
	for _, cr := range archive.ChapterByline(w, c) {
		j.Creators = append(j.Creators, cr.Pseud)
	}
	if editor {
		d := c.Draft
		j.Draft = &d
		if !c.PublishAt.IsZero() {
			j.PublishAt = timestamp(c.PublishAt)
		}
	}
	return j
}

// chapterBody is a chapter as the API accepts it (inside a new work, on its
// own, or as a partial update).
type chapterBody struct {
	prefaceBody
	Body   string  `json:"body"`
	Format *string `json:"format"`
	Draft  bool    `json:"draft"`
	// PublishAt schedules a draft chapter: RFC 3339, or a local date and
	// time in the caller's time-zone preference; null or "" unschedules.
	PublishAt *string `json:"publish_at"`
	// Position places a new chapter (1-based; absent or 0 appends).
	Position int `json:"position"`
	// Creators names the chapter's byline: the caller's pseuds and the
	// work's creators at once, other accounts' pseuds invited; [] or null
	// gives the chapter back its work's creators; absent leaves it.
	Creators *[]string `json:"creators"`
}

// creators is the body's chapter byline for ChapterInput.Creators.
func (b *chapterBody) creators() *[]string {
	if b.Creators == nil {
		return &[]string{}
	}
	return b.Creators
}

// input is the whole body as a new chapter.
func (b *chapterBody) input() archive.ChapterInput {
	in := archive.ChapterInput{Body: b.Body, Format: format(b.Format), Draft: b.Draft, Creators: b.Creators}
	b.prefaceBody.apply(chapterPreface(&in), nil)
	return in
}

func chapterPreface(in *archive.ChapterInput) preface {
	return preface{&in.Title, &in.Summary, &in.Notes, &in.EndNotes, &in.SummaryFormat, &in.NotesFormat, &in.EndNotesFormat}
}

// apply writes the fields present onto in (a partial update).
func (b *chapterBody) apply(in *archive.ChapterInput, present map[string]bool) {
	set := func(key string, f func()) {
		if present[key] {
			f()
		}
	}
	b.prefaceBody.apply(chapterPreface(in), present)
	set("body", func() { in.Body = b.Body })
	set("format", func() { in.Format = format(b.Format) })
	set("draft", func() { in.Draft = b.Draft })
	set("creators", func() { in.Creators = b.creators() })
}

// inputFromChapter is the stored chapter as an edit form would show it.
func inputFromChapter(c *archive.Chapter) archive.ChapterInput {
	return archive.ChapterInput{
		Title: c.Title, Summary: c.Summary.Source, SummaryFormat: c.Summary.Format,
		Notes: c.Notes.Source, NotesFormat: c.Notes.Format, EndNotes: c.EndNotes.Source, EndNotesFormat: c.EndNotes.Format,
		Body: c.Body.Source, Format: c.Body.Format, Draft: c.Draft, PublishAt: c.PublishAt,
	}
}

// pathPosition parses a positive chapter position; anything else is "not found".
func pathPosition(r *http.Request) (int, error) {
	id, err := pathID(r, "position")
	if err != nil || id > archive.MaxChapters {
		return 0, notFoundError("chapter " + r.PathValue("position"))
	}
	return int(id), nil
}

// GET /api/v1/works/{id}/chapters/{position}
func (a *server) getChapter(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pos, err := pathPosition(r)
	if err != nil {
		return err
	}
	work, err := a.site.Work(r.Context(), u, id)
	if err != nil {
		return err
	}
	c, err := a.site.ChapterByPosition(r.Context(), u, work, pos)
	if err != nil {
		return err
	}
	editor := site.CanEdit(u, work)
	if !editor {
		a.site.CountHit(r.Context(), work.ID)
	}
	a.site.RecordReading(r.Context(), u, work, c.ID)
	writeJSON(w, http.StatusOK, chapterOut(work, c, editor))
	return nil
}

// editableChapter loads the work u may change and its chapter at the path's position.
func (a *server) editableChapter(r *http.Request, u *archive.User) (*archive.Work, *archive.Chapter, error) {
	if err := requireUser(u); err != nil {
		return nil, nil, err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	pos, err := pathPosition(r)
	if err != nil {
		return nil, nil, err
	}
	work, err := a.site.EditableWork(r.Context(), u, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := a.site.ChapterByPosition(r.Context(), u, work, pos)
	if err != nil {
		return nil, nil, err
	}
	return work, c, nil
}

// POST /api/v1/works/{id}/chapters
func (a *server) addChapter(w http.ResponseWriter, r *http.Request, u *archive.User) error {
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
	var b chapterBody
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	if b.Position < 0 {
		return archive.Invalid("position", "must be 1 or more (or absent, to add the chapter at the end)")
	}
	in := b.input()
	if in.PublishAt, err = a.publishAt(u, b.PublishAt); err != nil {
		return err
	}
	c, err := a.site.AddChapter(r.Context(), u, id, b.Position, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/works/"+strconv.FormatInt(id, 10)+"/chapters/"+strconv.Itoa(c.Position))
	if work, err = a.site.EditableWork(r.Context(), u, id); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, chapterOut(work, c, true))
	return nil
}

// PATCH /api/v1/works/{id}/chapters/{position}: only the fields present change.
func (a *server) editChapter(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	work, c, err := a.editableChapter(r, u)
	if err != nil {
		return err
	}
	var b chapterBody
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	in := inputFromChapter(c)
	b.apply(&in, present)
	if present["publish_at"] {
		if in.PublishAt, err = a.publishAt(u, b.PublishAt); err != nil {
			return err
		}
	}
	edited, err := a.site.EditChapter(r.Context(), u, work.ID, c.ID, in)
	if err != nil {
		return err
	}
	if work, err = a.site.EditableWork(r.Context(), u, work.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, chapterOut(work, edited, true))
	return nil
}

// DELETE /api/v1/works/{id}/chapters/{position}
func (a *server) deleteChapter(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	work, c, err := a.editableChapter(r, u)
	if err != nil {
		return err
	}
	if err := a.site.DeleteChapter(r.Context(), u, work.ID, c.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// PUT /api/v1/works/{id}/chapters/order with {"chapter_ids": [...]}.
func (a *server) reorderChapters(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if r.PathValue("position") != "order" {
		w.Header().Set("Allow", "GET, HEAD, PATCH, DELETE")
		return methodNotAllowed(r)
	}
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := a.site.EditableWork(r.Context(), u, id); err != nil {
		return err
	}
	var b struct {
		ChapterIDs []int64 `json:"chapter_ids"`
	}
	present, err := a.readJSON(w, r, &b)
	if err != nil {
		return err
	}
	if !present["chapter_ids"] {
		return archive.Invalid("chapter_ids", "list the work's chapter ids in their new order")
	}
	if err := a.site.ReorderChapters(r.Context(), u, id, b.ChapterIDs); err != nil {
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

// prefaceBody is the title and rich preface fields a work and a chapter
// share in requests.
type prefaceBody struct {
	Title          string  `json:"title"`
	Summary        string  `json:"summary"`
	SummaryFormat  *string `json:"summary_format"`
	Notes          string  `json:"notes"`
	NotesFormat    *string `json:"notes_format"`
	EndNotes       string  `json:"end_notes"`
	EndNotesFormat *string `json:"end_notes_format"`
}

// preface points at where those fields land in a work's or chapter's input.
type preface struct {
	title, summary, notes, endNotes            *string
	summaryFormat, notesFormat, endNotesFormat *archive.Format
}

// apply writes the fields present onto dst (all of them when present is nil).
func (b *prefaceBody) apply(dst preface, present map[string]bool) {
	has := func(key string) bool { return present == nil || present[key] }
	if has("title") {
		*dst.title = b.Title
	}
	if has("summary") {
		*dst.summary = b.Summary
	}
	if has("summary_format") {
		*dst.summaryFormat = format(b.SummaryFormat)
	}
	if has("notes") {
		*dst.notes = b.Notes
	}
	if has("notes_format") {
		*dst.notesFormat = format(b.NotesFormat)
	}
	if has("end_notes") {
		*dst.endNotes = b.EndNotes
	}
	if has("end_notes_format") {
		*dst.endNotesFormat = format(b.EndNotesFormat)
	}
}
