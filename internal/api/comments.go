package api

import (
	"net/http"

	"quire/internal/archive"
	"quire/internal/site"
)

// commentJSON is one comment. A guest's e-mail address is never shown.
type commentJSON struct {
	ID         int64   `json:"id"`
	WorkID     int64   `json:"work_id"`
	ChapterID  int64   `json:"chapter_id"`
	ParentID   *int64  `json:"parent_id"`
	Depth      int     `json:"depth"`
	User       *string `json:"user"`
	Pseud      string  `json:"pseud,omitempty"`
	Name       string  `json:"name"`
	Body       string  `json:"body"`
	Source     string  `json:"source,omitempty"`
	Format     string  `json:"format,omitempty"`
	Approved   bool    `json:"approved"`
	Frozen     bool    `json:"frozen"`
	Deleted    bool    `json:"deleted"`
	CreatedAt  *string `json:"created_at"`
	EditedAt   *string `json:"edited_at"`
	ReplyCount int     `json:"reply_count"`
}

func commentOut(c *archive.Comment, u *archive.User) *commentJSON {
	j := &commentJSON{ID: c.ID, WorkID: c.WorkID, ChapterID: c.ChapterID, Body: c.Body.HTML,
		Approved: c.Approved, Frozen: c.Frozen, Deleted: c.Deleted, CreatedAt: timestamp(c.CreatedAt), EditedAt: timestamp(c.EditedAt)}
	if c.ParentID != 0 {
		p := c.ParentID
		j.ParentID = &p
	}
	switch {
	case c.Deleted:
		j.Name = "(Previous comment deleted.)"
	case c.UserName != "":
		name := c.UserName
		j.User, j.Pseud, j.Name = &name, c.Pseud, c.Pseud
	case c.GuestName != "":
		j.Name = c.GuestName
	default:
		j.Name = "(deleted account)"
	}
	if u != nil && c.UserID == u.ID && !c.Deleted {
		j.Source, j.Format = c.Body.Source, string(c.Body.Format)
	}
	return j
}

type commentInputJSON struct {
	ParentID *int64  `json:"parent_id"`
	Body     *string `json:"body"`
	Format   string  `json:"format"`
	Name     string  `json:"name"`
	Email    string  `json:"email"`
}

// chapterForComments resolves the work and the chapter at the path's position.
func (a *server) chapterForComments(r *http.Request, u *archive.User) (*archive.Work, *archive.Chapter, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	pos, err := pathPosition(r)
	if err != nil {
		return nil, nil, err
	}
	work, err := a.site.Work(r.Context(), u, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := a.site.ChapterByPosition(r.Context(), u, work, pos)
	if err != nil {
		return nil, nil, err
	}
	return a.site.CommentableChapter(r.Context(), u, work.ID, c.ID)
}

// GET /api/v1/works/{id}/chapters/{position}/comments — the thread, depth
// first: each comment after its parent, replies in the order written.
func (a *server) listComments(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	work, c, err := a.chapterForComments(r, u)
	if err != nil {
		return err
	}
	thread, err := a.site.Thread(r.Context(), u, work, c)
	if err != nil {
		return err
	}
	out := []*commentJSON{}
	for _, n := range site.Flatten(thread) {
		j := commentOut(n.Comment, u)
		j.Depth = n.Depth
		j.ReplyCount = len(n.Replies)
		out = append(out, j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"work_id": work.ID, "chapter_id": c.ID, "comments": out})
	return nil
}

// POST /api/v1/works/{id}/chapters/{position}/comments
func (a *server) postComment(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	work, c, err := a.chapterForComments(r, u)
	if err != nil {
		return err
	}
	var in commentInputJSON
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	ci := archive.CommentInput{Format: in.Format, Name: in.Name, Email: in.Email}
	if in.Body != nil {
		ci.Body = *in.Body
	}
	if in.ParentID != nil {
		if *in.ParentID <= 0 {
			return archive.Invalid("parent_id", "must be a comment on the same chapter")
		}
		ci.ParentID = *in.ParentID
	}
	cm, err := a.site.PostComment(r.Context(), a.visitor(r, u), work, c, ci)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, commentOut(cm, u))
	return nil
}

// GET /api/v1/comments/{id}
func (a *server) getComment(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cm, _, err := a.site.CommentFor(r.Context(), u, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, commentOut(cm, u))
	return nil
}

// PATCH /api/v1/comments/{id} — the writer edits the body.
func (a *server) editComment(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in commentInputJSON
	if _, err := a.readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Body == nil {
		return archive.Invalid("body", "can't be blank")
	}
	cm, err := a.site.EditComment(r.Context(), u, id, archive.CommentInput{Body: *in.Body, Format: in.Format})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, commentOut(cm, u))
	return nil
}

// DELETE /api/v1/comments/{id} — by its writer or the work's creator.
func (a *server) deleteComment(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.site.DeleteComment(r.Context(), u, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// POST /api/v1/comments/{id}/approve — the creator releases a held comment.
func (a *server) approveComment(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	return a.moderateComment(w, r, u, func(id int64) (*archive.Comment, error) { return a.site.ApproveComment(r.Context(), u, id) })
}

// POST /api/v1/comments/{id}/freeze — no new replies under it; DELETE unfreezes.
func (a *server) freezeComment(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	return a.moderateComment(w, r, u, func(id int64) (*archive.Comment, error) { return a.site.FreezeComment(r.Context(), u, id, true) })
}

func (a *server) unfreezeComment(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	return a.moderateComment(w, r, u, func(id int64) (*archive.Comment, error) { return a.site.FreezeComment(r.Context(), u, id, false) })
}

func (a *server) moderateComment(w http.ResponseWriter, r *http.Request, u *archive.User, op func(int64) (*archive.Comment, error)) error {
	if err := requireUser(u); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cm, err := op(id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, commentOut(cm, u))
	return nil
}
