package web

import (
	"net/http"
	"net/url"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// inboxPage is one page of the reader's inbox and their subscriptions.
type inboxPage struct {
	*site.InboxView
	Subscriptions []*site.SubscriptionView
	UnreadOnly    bool
	LastPage      int
}

// URL links to another page of the inbox.
func (p *inboxPage) URL(page int) string {
	v := url.Values{"page": {strconv.Itoa(page)}}
	if p.UnreadOnly {
		v.Set("unread", "1")
	}
	return "/inbox?" + v.Encode()
}

// GET /inbox?page&unread=1
func (srv *Server) showInbox(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	q := r.URL.Query()
	page, err := site.PageParam("page", q.Get("page"))
	if err != nil {
		return err
	}
	unread := q.Get("unread") == "1" || q.Get("unread") == "true"
	v, err := srv.site.Inbox(r.Context(), u, unread, page, 0)
	if err != nil {
		return err
	}
	subs, err := srv.site.Subscriptions(r.Context(), u)
	if err != nil {
		return err
	}
	p := &inboxPage{InboxView: v, Subscriptions: subs, UnreadOnly: unread, LastPage: (v.Total + v.PerPage - 1) / v.PerPage}
	flash := ""
	switch q.Get("done") {
	case "read":
		flash = msg("Marked as read.")
	case "unread":
		flash = msg("Marked as unread.")
	case "delete":
		flash = msg("Deleted.")
	}
	srv.render(w, r, http.StatusOK, "inbox", pageData{Title: "Inbox", Message: flash, P: p})
	return nil
}

// POST /inbox (action=read|unread|delete, id=… repeated, or all=1 for read
// and unread): acts on the reader's own entries only.
func (srv *Server) updateInbox(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := r.ParseForm(); err != nil {
		return archive.Invalid("form", "could not be read")
	}
	var ids []int64
	for _, s := range r.PostForm["id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return archive.Invalid("id", "must be an inbox entry")
		}
		ids = append(ids, id)
	}
	all := r.PostFormValue("all") == "1"
	action := r.PostFormValue("action")
	var err error
	switch action {
	case "read", "unread":
		_, err = srv.site.MarkInboxRead(r.Context(), u, ids, all, action == "read")
	case "delete":
		_, err = srv.site.DeleteInboxEntries(r.Context(), u, ids)
	default:
		err = archive.Invalid("action", "must be read, unread or delete")
	}
	if err != nil {
		return err
	}
	back := "/inbox?done=" + action
	if p := r.PostFormValue("page"); p != "" {
		if n, err := strconv.Atoi(p); err == nil && n > 1 {
			back += "&page=" + strconv.Itoa(n)
		}
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
