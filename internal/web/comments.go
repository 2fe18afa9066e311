package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// commentsPart is one chapter's thread and its comment form.
type commentsPart struct {
	Work       *archive.Work
	Chapter    *archive.Chapter
	Thread     []*site.CommentNode
	Count      int
	User       *archive.User
	CanComment bool
	Guest      bool // the form asks for a name and an e-mail address
	Closed     string
	ReturnTo   string
	// FormAt, on the entire-work view, names the chapter whose form (the
	// last one) this chapter's comments point to instead of a form of their own.
	FormAt int64
	// What a refused comment said, shown again in the form.
	Body, Name, Email string
	ParentID          int64
	// HTML is the part already rendered (fragments.go), or "".
	HTML template.HTML
}

func (srv *Server) commentsView(r *http.Request, work *archive.Work, chapterID int64) (*commentsPart, error) {
	ctx := r.Context()
	u := currentUser(r)
	_, c, err := srv.site.CommentableChapter(ctx, u, work.ID, chapterID)
	if err != nil {
		return nil, err
	}
	thread, err := srv.site.Thread(ctx, u, work, c)
	if err != nil {
		return nil, err
	}
	p := &commentsPart{Work: work, Chapter: c, Thread: thread, Count: len(site.Flatten(thread)), User: u, ReturnTo: r.URL.RequestURI()}
	switch {
	case work.Draft || c.Draft:
		p.Closed = msg("Comments open when this is posted.")
	case work.CommentPermission == archive.CommentsNone:
		p.Closed = msg("The creator has turned off comments on this work.")
	case u == nil && work.CommentPermission != archive.CommentsEveryone:
		p.Closed = msg("Log in to comment on this work.")
	default:
		p.CanComment = true
		p.Guest = u == nil
	}
	return p, nil
}

// POST /works/{id}/chapters/{cid}/comments
func (srv *Server) postComment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cid, err := pathID(r, "cid")
	if err != nil {
		return err
	}
	work, c, err := srv.site.CommentableChapter(ctx, u, id, cid)
	if err != nil {
		return err
	}
	if u == nil && honeypot(r) {
		srv.site.NoteStopped(site.DefenceHoneypot)
		http.Redirect(w, r, returnTo(r, work.ID), http.StatusSeeOther)
		return nil
	}
	in := archive.CommentInput{Body: r.PostFormValue("body"), Format: r.PostFormValue("format"),
		Name: r.PostFormValue("name"), Email: r.PostFormValue("email")}
	if p := r.PostFormValue("parent_id"); p != "" {
		in.ParentID, _ = strconv.ParseInt(p, 10, 64)
		if in.ParentID <= 0 {
			in.ParentID = -1
		}
	}
	cm, err := srv.site.PostComment(ctx, srv.visitor(w, r), work, c, in)
	var ve *archive.ValidationError
	if errors.As(err, &ve) {
		// The reader's text is not thrown away: the form again, filled in.
		p := &commentsPart{Work: work, Chapter: c, User: u, CanComment: true, Guest: u == nil, ReturnTo: returnTo(r, work.ID),
			Body: in.Body, Name: in.Name, Email: in.Email, ParentID: max(0, in.ParentID)}
		srv.render(w, r, http.StatusUnprocessableEntity, "comment_retry", pageData{Title: "Your comment was not posted",
			Errors: []string{sentence(ve.Error())}, P: p})
		return nil
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("%s#comment-%d", returnTo(r, work.ID), cm.ID), http.StatusSeeOther)
	return nil
}

// commentAction serves the buttons under a comment: delete, approve,
// freeze and unfreeze, each back to the page it was pressed on.
func (srv *Server) commentAction(op func(*Server, *http.Request, *archive.User, int64) error) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		u := currentUser(r)
		if u == nil {
			return archive.ErrAuth
		}
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		cm, _, err := srv.site.CommentFor(r.Context(), u, id)
		if err != nil {
			return err
		}
		if err := op(srv, r, u, id); err != nil {
			return err
		}
		http.Redirect(w, r, fmt.Sprintf("%s#comments-%d", returnTo(r, cm.WorkID), cm.ChapterID), http.StatusSeeOther)
		return nil
	}
}

func deleteCommentOp(srv *Server, r *http.Request, u *archive.User, id int64) error {
	return srv.site.DeleteComment(r.Context(), u, id)
}

func approveCommentOp(srv *Server, r *http.Request, u *archive.User, id int64) error {
	_, err := srv.site.ApproveComment(r.Context(), u, id)
	return err
}

func freezeCommentOp(srv *Server, r *http.Request, u *archive.User, id int64) error {
	_, err := srv.site.FreezeComment(r.Context(), u, id, true)
	return err
}

func unfreezeCommentOp(srv *Server, r *http.Request, u *archive.User, id int64) error {
	_, err := srv.site.FreezeComment(r.Context(), u, id, false)
	return err
}

// POST /comments/{id}/edit — the writer replaces the body.
func (srv *Server) editComment(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	if u == nil {
		return archive.ErrAuth
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cm, err := srv.site.EditComment(r.Context(), u, id, archive.CommentInput{Body: r.PostFormValue("body"), Format: r.PostFormValue("format")})
	if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("%s#comment-%d", returnTo(r, cm.WorkID), cm.ID), http.StatusSeeOther)
	return nil
}

// commentCtx pairs a comment with its thread's part for the recursive
// "comment" template.
type commentCtx struct {
	Part *commentsPart
	Node *site.CommentNode
}

// With pairs a comment with this part.
func (p *commentsPart) With(n *site.CommentNode) commentCtx { return commentCtx{Part: p, Node: n} }
