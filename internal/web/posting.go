package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
	"quire/internal/i18n"
)

// workForm is the new/edit work form, holding what the creator typed.
type workForm struct {
	Edit       bool
	WorkID     int64
	V          map[string]string
	Warnings   map[string]bool
	Categories map[string]bool
	Ratings    []string
	AllWarn    []string
	AllCats    []string
	Draft      bool
	Pseuds     []archive.Pseud // the creator's pseuds (a picker when more than one)
	Series     []seriesOption  // the creator's series (optional "add to series")
	// Invited are the pending co-creator invitations (edit form);
	// CanLeave offers "remove me" to a creator who is not the only one.
	Invited  []*archive.CreatorInvitation
	CanLeave bool
	// Related are the related-work rows (those named, then blank ones).
	Related []relatedRow
	// Claims are the prompt-meme claims the work may fill; ClaimIDs those
	// posted (prompts.go).
	Claims   []claimOption
	ClaimIDs []int64
}

// relatedRow is one row of the form's related works, numbered from 1.
type relatedRow struct {
	N                         int
	Kind, URL, Title, Creator string
}

func newWorkForm() *workForm {
	return &workForm{V: map[string]string{"body_format": "html", "language": "en", "comment_permissions": archive.CommentsRegistered},
		Warnings: map[string]bool{}, Categories: map[string]bool{},
		Ratings: archive.Ratings, AllWarn: archive.Warnings, AllCats: archive.Categories}
}

// formFromRequest reads the posted form back into a workForm.
func formFromRequest(r *http.Request) *workForm {
	f := newWorkForm()
	for k := range r.PostForm {
		if k != "warning" && k != "category" {
			f.V[k] = r.PostForm.Get(k)
		}
	}
	for _, w := range r.PostForm["warning"] {
		f.Warnings[w] = true
	}
	for _, c := range r.PostForm["category"] {
		f.Categories[c] = true
	}
	f.ClaimIDs = []int64{}
	for _, s := range r.PostForm["claim"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			f.ClaimIDs = append(f.ClaimIDs, id)
		}
	}
	return f
}

// formFromWork fills the edit form from a stored work.
func formFromWork(w *archive.Work) *workForm {
	f := newWorkForm()
	f.Edit, f.WorkID, f.Draft = true, w.ID, w.Draft
	f.V["title"] = w.Title
	f.V["summary"], f.V["notes"], f.V["end_notes"] = w.Summary.Source, w.Notes.Source, w.EndNotes.Source
	f.V["rating"] = w.Rating()
	for _, x := range w.Tags[archive.TypeWarning] {
		f.Warnings[x] = true
	}
	for _, x := range w.Tags[archive.TypeCategory] {
		f.Categories[x] = true
	}
	for _, t := range archive.FreeTagTypes {
		f.V[string(t)] = strings.Join(w.Tags[t], ", ")
	}
	f.V["language"] = w.Language
	if w.ChaptersExpected > 0 {
		f.V["chapters_expected"] = strconv.Itoa(w.ChaptersExpected)
	}
	if w.Restricted {
		f.V["restricted"] = "1"
	}
	if w.ModeratedComments {
		f.V["moderated_comments"] = "1"
	}
	f.V["comment_permissions"] = w.CommentPermission
	f.V["posted_at"] = w.PostedAt.Format("2006-01-02")
	var gifts []string
	for _, g := range w.Gifts {
		gifts = append(gifts, g.Name)
	}
	f.V["gifts"] = strings.Join(gifts, ", ")
	return f
}

// splitNames reads a comma-separated list of names.
func splitNames(s string) []string {
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func formatOf(s string) archive.Format {
	if s == string(archive.FormatMarkdown) {
		return archive.FormatMarkdown
	}
	return archive.FormatHTML
}

// relatedRows reads the posted related-work rows (at most a few more
// than a work may name, so the limit's message shows).
func (f *workForm) relatedRows() []relatedRow {
	n, _ := strconv.Atoi(f.V["related_rows"])
	n = min(max(n, 0), archive.MaxRelatedPerWork+5)
	var out []relatedRow
	for i := 1; i <= n; i++ {
		k := strconv.Itoa(i)
		out = append(out, relatedRow{N: i, Kind: f.V["related_kind_"+k], URL: f.V["related_url_"+k],
			Title: f.V["related_title_"+k], Creator: f.V["related_creator_"+k]})
	}
	return out
}

// workInput turns the form into a WorkInput (validation happens in archive).
func (f *workForm) workInput() (archive.WorkInput, error) {
	v := f.V
	in := archive.WorkInput{
		Title: v["title"], Summary: v["summary"], Notes: v["notes"], EndNotes: v["end_notes"],
		SummaryFormat: archive.FormatHTML, NotesFormat: archive.FormatHTML, EndNotesFormat: archive.FormatHTML,
		Rating:        v["rating"],
		Fandoms:       archive.SplitTagList(v["fandom"]),
		Relationships: archive.SplitTagList(v["relationship"]),
		Characters:    archive.SplitTagList(v["character"]),
		Freeforms:     archive.SplitTagList(v["freeform"]),
		Language:      v["language"], Restricted: v["restricted"] != "",
		CommentPermission: v["comment_permissions"], ModeratedComments: v["moderated_comments"] != "",
	}
	for _, w := range archive.Warnings {
		if f.Warnings[w] {
			in.Warnings = append(in.Warnings, w)
		}
	}
	for _, c := range archive.Categories {
		if f.Categories[c] {
			in.Categories = append(in.Categories, c)
		}
	}
	if p := strings.TrimSpace(v["pseud"]); p != "" {
		in.Pseuds = []string{p}
	}
	// The collections and gift fields: absent keeps what the work has.
	if c, ok := v["collections"]; ok {
		names := splitNames(c)
		in.Collections = &names
	}
	if g, ok := v["gifts"]; ok {
		names := splitNames(g)
		in.Gifts = &names
	}
	if _, ok := v["claims_shown"]; ok && f.ClaimIDs != nil {
		in.Claims = &f.ClaimIDs
	}
	if _, ok := v["related_rows"]; ok {
		rows := f.relatedRows()
		related := make([]archive.RelatedInput, 0, len(rows))
		for _, row := range rows {
			related = append(related, archive.RelatedInput{URL: row.URL, Title: row.Title, Creator: row.Creator, Kind: row.Kind})
		}
		in.Related = &related
	}
	for _, n := range strings.Split(v["co_creators"], ",") {
		if n = strings.TrimSpace(n); n != "" {
			in.CoCreators = append(in.CoCreators, n)
		}
	}
	if s := strings.TrimSpace(v["chapters_expected"]); s != "" && s != "?" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return in, archive.Invalid("chapters_expected", "must be a number of 1 or more, or blank for unknown")
		}
		in.ChaptersExpected = n
	}
	if s := strings.TrimSpace(v["posted_at"]); s != "" {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return in, archive.Invalid("posted_at", "must be a date as YYYY-MM-DD")
		}
		in.PostedAt = t
	}
	return in, nil
}

func (f *workForm) chapterInput() archive.ChapterInput {
	v := f.V
	return archive.ChapterInput{Title: v["chapter_title"], Summary: v["chapter_summary"], Notes: v["chapter_notes"],
		EndNotes: v["chapter_end_notes"], Body: v["body"], Format: formatOf(v["body_format"]), Draft: v["chapter_draft"] != ""}
}

// invalid re-renders a form with the error, or fails for other errors.
func (srv *Server) invalid(w http.ResponseWriter, r *http.Request, err error, page, title string, p any) error {
	var ve *archive.ValidationError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &ve):
		srv.render(w, r, http.StatusUnprocessableEntity, page, pageData{Title: title, Errors: validationMessages(srv.readerOf(r).loc, err), P: p})
	case errors.As(err, &mb):
		srv.render(w, r, http.StatusRequestEntityTooLarge, page, pageData{Title: title, Errors: []string{"What you sent is larger than this archive accepts in one form."}, P: p})
	default:
		return err
	}
	return nil
}

// validationMessages lists every field error in err (errors.Join may hold several).
func validationMessages(l *i18n.Locale, err error) []string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []string
		for _, e := range j.Unwrap() {
			out = append(out, validationMessages(l, e)...)
		}
		return out
	}
	var ve *archive.ValidationError
	if errors.As(err, &ve) {
		return []string{humanField(l, ve)}
	}
	return nil
}

// humanField is a validation error in l's language: the field's label
// ("Title"), then the message, both from the catalog (English where it has
// no translation).
func humanField(l *i18n.Locale, ve *archive.ValidationError) string {
	msg := ve.Message
	if ve.Key != "" && l != nil {
		msg = l.T(ve.Key, ve.Args...)
	}
	if ve.Field == "" {
		return msg
	}
	if l == nil {
		return fieldLabel(ve.Field) + " " + msg
	}
	return l.T("{0} {1}", l.T(fieldLabel(ve.Field)), msg)
}

// fieldLabel is how an error names a form field: "chapters[0].body" →
// "Chapter body" (a catalog key).
func fieldLabel(field string) string {
	name := strings.NewReplacer("_", " ", "chapters[0].", "chapter ").Replace(field)
	return strings.ToUpper(name[:1]) + name[1:]
}

func (srv *Server) newWorkForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	f := newWorkForm()
	f.V["zone"] = zoneName(u)
	srv.render(w, r, http.StatusOK, "work_form", pageData{Title: "Post new work", P: srv.workFormChoices(r, f, nil)})
	return nil
}

func (srv *Server) createWork(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "work_form", "Post new work", newWorkForm())
	}
	f := formFromRequest(r)
	f.V["zone"] = zoneName(u)
	in, err := f.workInput()
	if err == nil {
		in.PublishAt, err = srv.formSchedule(r, time.Time{})
	}
	if err == nil {
		in.Draft = r.PostForm.Get("action") == "draft"
		in.Chapters = []archive.ChapterInput{f.chapterInput()}
		in.Chapters[0].Draft = false
		var work *archive.Work
		work, err = srv.site.PostWork(r.Context(), u, in)
		if err == nil {
			if err := srv.addToSeriesFromForm(r, work.ID); err != nil {
				return err
			}
			http.Redirect(w, r, "/works/"+strconv.FormatInt(work.ID, 10), http.StatusSeeOther)
			return nil
		}
	}
	return srv.invalid(w, r, err, "work_form", "Post new work", srv.workFormChoices(r, f, nil))
}

func (srv *Server) editWorkForm(w http.ResponseWriter, r *http.Request) error {
	work, err := srv.editable(r)
	if err != nil {
		return err
	}
	f := formFromWork(work)
	if items, err := srv.site.WorkCollections(r.Context(), currentUser(r), work); err == nil {
		var names []string
		for _, it := range items {
			if it.State != archive.ItemRejected {
				names = append(names, it.CollectionName)
			}
		}
		f.V["collections"] = strings.Join(names, ", ")
	}
	f.V["zone"], f.V["publish_at"] = zoneName(currentUser(r)), scheduleValue(currentUser(r), work.PublishAt)
	srv.render(w, r, http.StatusOK, "work_form", pageData{Title: "Edit " + work.Title, P: srv.workFormChoices(r, f, work)})
	return nil
}

// editable loads the work in the path for its editor.
func (srv *Server) editable(r *http.Request) (*archive.Work, error) {
	u := currentUser(r)
	if u == nil {
		return nil, archive.ErrAuth
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return srv.site.EditableWork(r.Context(), u, id)
}

// readable loads the work in the path for a logged-in reader who may see it.
func (srv *Server) readable(r *http.Request) (*archive.User, *archive.Work, error) {
	u := currentUser(r)
	if u == nil {
		return nil, nil, archive.ErrAuth
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	work, err := srv.site.Work(r.Context(), u, id)
	return u, work, err
}

func (srv *Server) updateWork(w http.ResponseWriter, r *http.Request) error {
	work, err := srv.editable(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "work_form", "Edit work", formFromWork(work))
	}
	f := formFromRequest(r)
	f.Edit, f.WorkID, f.Draft = true, work.ID, work.Draft
	f.V["zone"] = zoneName(currentUser(r))
	in, err := f.workInput()
	if err == nil && work.Draft {
		in.PublishAt, err = srv.formSchedule(r, work.PublishAt)
	}
	if err == nil {
		in.Draft = work.Draft && r.PostForm.Get("action") != "post"
		_, err = srv.site.EditWork(r.Context(), currentUser(r), work.ID, in)
		if err == nil {
			if err := srv.addToSeriesFromForm(r, work.ID); err != nil {
				return err
			}
			http.Redirect(w, r, "/works/"+strconv.FormatInt(work.ID, 10), http.StatusSeeOther)
			return nil
		}
	}
	return srv.invalid(w, r, err, "work_form", "Edit work", srv.workFormChoices(r, f, work))
}

func (srv *Server) postDraft(w http.ResponseWriter, r *http.Request) error {
	work, err := srv.editable(r)
	if err != nil {
		return err
	}
	if _, err := srv.site.PostDraft(r.Context(), currentUser(r), work.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/works/"+strconv.FormatInt(work.ID, 10), http.StatusSeeOther)
	return nil
}

func (srv *Server) confirmDeleteWork(w http.ResponseWriter, r *http.Request) error {
	work, err := srv.editable(r)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "confirm_delete", pageData{Title: "Delete " + work.Title, P: work})
	return nil
}

func (srv *Server) deleteWork(w http.ResponseWriter, r *http.Request) error {
	work, err := srv.editable(r)
	if err != nil {
		return err
	}
	if err := srv.site.DeleteWork(r.Context(), currentUser(r), work.ID); err != nil {
		return err
	}
	http.Redirect(w, r, "/users/"+currentUser(r).Name+"/works", http.StatusSeeOther)
	return nil
}
