package web

import (
	"net/http"
	"net/url"
	"strconv"

	"quire/internal/archive"
	"quire/internal/site"
)

// bulkEditPage is "Edit multiple works": the creator's works to pick from
// and the change to apply.
type bulkEditPage struct {
	Works    []*archive.Work
	Selected map[int64]bool
	V        url.Values
	Types    []archive.TagType
}

var bulkFreeTypes = []archive.TagType{archive.TypeFandom, archive.TypeRelationship, archive.TypeCharacter, archive.TypeFreeform}

func (srv *Server) bulkEditPage(r *http.Request, u *archive.User, v url.Values) *bulkEditPage {
	p := &bulkEditPage{Selected: map[int64]bool{}, V: v, Types: bulkFreeTypes}
	p.Works, _ = srv.site.OwnWorks(r.Context(), u)
	for _, s := range v["work_id"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			p.Selected[id] = true
		}
	}
	return p
}

// GET /users/{name}/works/edit_multiple
func (srv *Server) editMultipleForm(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := ownAccount(r, u); err != nil {
		return err
	}
	srv.render(w, r, http.StatusOK, "edit_multiple", pageData{Title: "Edit multiple works", P: srv.bulkEditPage(r, u, r.URL.Query())})
	return nil
}

// POST /users/{name}/works/edit_multiple
func (srv *Server) editMultiple(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := ownAccount(r, u); err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return srv.invalid(w, r, err, "edit_multiple", "Edit multiple works", srv.bulkEditPage(r, u, nil))
	}
	f := r.PostForm
	ch := site.WorksChange{CommentPermission: f.Get("comment_permissions"), Language: f.Get("language"),
		AddTags: map[archive.TagType][]string{}, RemoveTags: map[archive.TagType][]string{}}
	for _, s := range f["work_id"] {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return srv.invalid(w, r, archive.Invalid("work_id", "%q is not a work id", s), "edit_multiple", "Edit multiple works", srv.bulkEditPage(r, u, f))
		}
		ch.WorkIDs = append(ch.WorkIDs, id)
	}
	yes, no := true, false
	switch f.Get("restricted") {
	case "1":
		ch.Restricted = &yes
	case "0":
		ch.Restricted = &no
	}
	switch f.Get("moderated_comments") {
	case "1":
		ch.ModeratedComments = &yes
	case "0":
		ch.ModeratedComments = &no
	}
	for _, t := range bulkFreeTypes {
		ch.AddTags[t] = archive.SplitTagList(f.Get("add_" + string(t)))
		ch.RemoveTags[t] = archive.SplitTagList(f.Get("remove_" + string(t)))
	}
	ws, err := srv.site.EditWorks(r.Context(), u, ch)
	if err != nil {
		return srv.invalid(w, r, err, "edit_multiple", "Edit multiple works", srv.bulkEditPage(r, u, f))
	}
	done := srv.readerOf(r).loc.N("{0} works were updated.", len(ws))
	srv.render(w, r, http.StatusOK, "edit_multiple", pageData{Title: "Edit multiple works", Message: done, P: srv.bulkEditPage(r, u, nil)})
	return nil
}
