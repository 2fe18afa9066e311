package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"quire/internal/archive"
)

// chapterForm is the add/edit chapter form. CanCredit shows the chapter's
// creators field (to the work's creators); Invited lists the chapter's
// pending invitations.
type chapterForm struct {
	Work      *archive.Work
	ChapterID int64
	Position  int
	V         map[string]string
	CanCredit bool
	Invited   []*archive.CreatorInvitation
}

func chapterFormFrom(c *archive.Chapter) map[string]string {
	v := map[string]string{"chapter_title": c.Title, "chapter_summary": c.Summary.Source, "chapter_notes": c.Notes.Source,
		"chapter_end_notes": c.EndNotes.Source, "body": c.Body.Source, "body_format": string(c.Body.Format)}
	if c.Draft {
		v["chapter_draft"] = "1"
	}
	var names []string
	for _, cr := range c.Creators {
		names = append(names, cr.Pseud)
	}
	v["chapter_creators"] = strings.Join(names, ", ")
	return v
}

func init() {
	funcs["chapterByline"] = archive.ChapterByline
}

// chapterCreatorsInput reads the chapter form's creators field: nil when
// the form had none (it is shown only to the work's creators).
func chapterCreatorsInput(r *http.Request) *[]string {
	if _, ok := r.PostForm["chapter_creators"]; !ok {
		return nil
	}
	names := splitNames(r.PostForm.Get("chapter_creators"))
	return &names
}

// withCredits fills what the form shows of the chapter's creators.
func (srv *Server) withCredits(r *http.Request, p *chapterForm) *chapterForm {
	u := currentUser(r)
	p.CanCredit = u != nil && p.Work.HasCreatorUser(u.ID)
	if p.ChapterID != 0 && p.CanCredit {
		p.Invited, _ = srv.site.ChapterInvitations(r.Context(), u, p.Work, p.ChapterID)
	}
	return p
}

func (srv *Server) newChapterForm(w http.ResponseWriter, r *http.Request) error {
	work, err := srv.editable(r)
	if err != nil {
		return err
	}
	p := srv.withCredits(r, &chapterForm{Work: work, V: map[string]string{"body_format": "html"}, Position: work.ChaptersPosted + 1})
	p.V["zone"] = zoneName(currentUser(r))
	srv.render(w, r, http.StatusOK, "chapter_form", pageData{Title: "New chapter", P: p})
	return nil
}

func (srv *Server) createChapter(w http.ResponseWriter, r *http.Request) error {
	work, err := srv.editable(r)
	if err != nil {
		return err
	}
	p := srv.withCredits(r, &chapterForm{Work: work, V: map[string]string{}})
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "chapter_form", "New chapter", p)
	}
	f := formFromRequest(r)
	p.V = f.V
	p.V["zone"] = zoneName(currentUser(r))
	in := f.chapterInput()
	in.Creators = chapterCreatorsInput(r)
	in.Draft = r.PostForm.Get("action") == "draft"
	pos, _ := strconv.Atoi(r.PostForm.Get("position"))
	if in.PublishAt, err = srv.formSchedule(r, time.Time{}); err != nil {
		return srv.invalid(w, r, err, "chapter_form", "New chapter", p)
	}
	c, err := srv.site.AddChapter(r.Context(), currentUser(r), work.ID, pos, in)
	if err != nil {
		return srv.invalid(w, r, err, "chapter_form", "New chapter", p)
	}
	http.Redirect(w, r, "/works/"+strconv.FormatInt(work.ID, 10)+"/chapters/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}

// editableChapter loads the work and chapter in the path for their editor.
func (srv *Server) editableChapter(r *http.Request) (*archive.Work, *archive.Chapter, error) {
	work, err := srv.editable(r)
	if err != nil {
		return nil, nil, err
	}
	cid, err := pathID(r, "cid")
	if err != nil {
		return nil, nil, err
	}
	c, err := srv.site.Chapter(r.Context(), currentUser(r), work, cid)
	return work, c, err
}

func (srv *Server) editChapterForm(w http.ResponseWriter, r *http.Request) error {
	work, c, err := srv.editableChapter(r)
	if err != nil {
		return err
	}
	p := srv.withCredits(r, &chapterForm{Work: work, ChapterID: c.ID, Position: c.Position, V: chapterFormFrom(c)})
	p.V["zone"], p.V["publish_at"] = zoneName(currentUser(r)), scheduleValue(currentUser(r), c.PublishAt)
	srv.render(w, r, http.StatusOK, "chapter_form", pageData{Title: "Edit chapter", P: p})
	return nil
}

func (srv *Server) updateChapter(w http.ResponseWriter, r *http.Request) error {
	work, c, err := srv.editableChapter(r)
	if err != nil {
		return err
	}
	p := srv.withCredits(r, &chapterForm{Work: work, ChapterID: c.ID, Position: c.Position, V: chapterFormFrom(c)})
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "chapter_form", "Edit chapter", p)
	}
	f := formFromRequest(r)
	p.V = f.V
	p.V["zone"] = zoneName(currentUser(r))
	in := f.chapterInput()
	in.Creators = chapterCreatorsInput(r)
	in.Draft = r.PostForm.Get("action") == "draft"
	if in.PublishAt, err = srv.formSchedule(r, c.PublishAt); err != nil {
		return srv.invalid(w, r, err, "chapter_form", "Edit chapter", p)
	}
	if _, err := srv.site.EditChapter(r.Context(), currentUser(r), work.ID, c.ID, in); err != nil {
		return srv.invalid(w, r, err, "chapter_form", "Edit chapter", p)
	}
	http.Redirect(w, r, "/works/"+strconv.FormatInt(work.ID, 10)+"/chapters/"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
	return nil
}

func (srv *Server) deleteChapter(w http.ResponseWriter, r *http.Request) error {
	work, c, err := srv.editableChapter(r)
	if err != nil {
		return err
	}
	if err := srv.site.DeleteChapter(r.Context(), currentUser(r), work.ID, c.ID); err != nil {
		p := &chapterForm{Work: work, ChapterID: c.ID, Position: c.Position, V: chapterFormFrom(c)}
		return srv.invalid(w, r, err, "chapter_form", "Edit chapter", p)
	}
	http.Redirect(w, r, "/works/"+strconv.FormatInt(work.ID, 10), http.StatusSeeOther)
	return nil
}

// orderPage lists chapters with a position box each.
type orderPage struct {
	Work     *archive.Work
	Chapters []*archive.Chapter
}

func (srv *Server) orderChaptersForm(w http.ResponseWriter, r *http.Request) error {
	work, err := srv.editable(r)
	if err != nil {
		return err
	}
	cs, err := srv.site.Chapters(r.Context(), currentUser(r), work, false)
	if err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "chapter_order", pageData{Title: "Reorder chapters", P: &orderPage{Work: work, Chapters: cs}})
	return nil
}

// orderChapters reads one position field per chapter (pos_ID) and sorts by it.
func (srv *Server) orderChapters(w http.ResponseWriter, r *http.Request) error {
	work, err := srv.editable(r)
	if err != nil {
		return err
	}
	cs, err := srv.site.Chapters(r.Context(), currentUser(r), work, false)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "chapter_order", "Reorder chapters", &orderPage{Work: work, Chapters: cs})
	}
	type slot struct {
		id  int64
		pos int
		old int
	}
	slots := make([]slot, len(cs))
	for i, c := range cs {
		pos, err := strconv.Atoi(r.PostForm.Get("pos_" + strconv.FormatInt(c.ID, 10)))
		if err != nil || pos < 1 || pos > len(cs) {
			return srv.invalid(w, r, archive.Invalid("position", "each chapter needs a position from 1 to %d", len(cs)), "chapter_order", "Reorder chapters", &orderPage{Work: work, Chapters: cs})
		}
		slots[i] = slot{c.ID, pos, c.Position}
	}
	// Stable: ties keep their old order.
	for i := 1; i < len(slots); i++ {
		for j := i; j > 0 && (slots[j].pos < slots[j-1].pos || slots[j].pos == slots[j-1].pos && slots[j].old < slots[j-1].old); j-- {
			slots[j], slots[j-1] = slots[j-1], slots[j]
		}
	}
	ids := make([]int64, len(slots))
	for i, s := range slots {
		ids[i] = s.id
	}
	if err := srv.site.ReorderChapters(r.Context(), currentUser(r), work.ID, ids); err != nil {
		return srv.invalid(w, r, err, "chapter_order", "Reorder chapters", &orderPage{Work: work, Chapters: cs})
	}
	http.Redirect(w, r, "/works/"+strconv.FormatInt(work.ID, 10), http.StatusSeeOther)
	return nil
}
