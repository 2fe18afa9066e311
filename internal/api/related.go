package api

import (
	"context"
	"net/http"

	"quire/internal/archive"
)

// Related works: a work's "related" (POST and PATCH /api/v1/works) and,
// when one work is read, the links as the caller may see them; the
// parent's creators answer with PATCH /api/v1/works/{id}/related/{child}
// and list what names their works at GET /api/v1/me/related_works.

func (a *server) relatedRoutes() []route {
	return []route{
		{"/api/v1/works/{id}/related/{child}", map[string]handlerFunc{"PATCH": a.answerRelated}},
		{"/api/v1/me/related_works", map[string]handlerFunc{"GET": a.myRelatedWorks}},
	}
}

// relatedBody is one link as a work's body names it.
type relatedBody struct {
	WorkID  int64  `json:"work_id"`
	URL     string `json:"url"`
	Title   string `json:"title"`
	Creator string `json:"creator"`
	Kind    string `json:"kind"`
}

func relatedInputs(bs []relatedBody) []archive.RelatedInput {
	out := make([]archive.RelatedInput, 0, len(bs))
	for _, b := range bs {
		out = append(out, archive.RelatedInput{WorkID: b.WorkID, URL: b.URL, Title: b.Title, Creator: b.Creator, Kind: b.Kind})
	}
	return out
}

// relatedJSON is one link as the caller sees it: work_id for a work here
// (its url is its page), or the url elsewhere; state only for the
// child's creators while the link is not approved.
type relatedJSON struct {
	WorkID  int64  `json:"work_id,omitempty"`
	URL     string `json:"url"`
	Title   string `json:"title"`
	Creator string `json:"creator"`
	Kind    string `json:"kind"`
	State   string `json:"state,omitempty"`
	// Language: a translation's language (the translating work's).
	Language string `json:"language,omitempty"`
}

// fillRelated adds the work's links (those it names, and the approved
// works naming it) to j.
func (a *server) fillRelated(ctx context.Context, u *archive.User, w *archive.Work, j *workJSON) error {
	rel, err := a.site.Relations(ctx, u, w)
	if err != nil {
		return err
	}
	j.Related, j.InspiredWorks = []relatedJSON{}, []relatedJSON{}
	for _, v := range rel.Parents {
		x := relatedJSON{WorkID: v.WorkID, URL: v.URL, Title: v.Title, Creator: v.Creator, Kind: v.Kind, State: v.State, Language: v.Language}
		if v.WorkID != 0 {
			x.URL = a.workURL(v.WorkID)
		}
		j.Related = append(j.Related, x)
	}
	for _, v := range rel.Children {
		j.InspiredWorks = append(j.InspiredWorks, relatedJSON{WorkID: v.WorkID, URL: a.workURL(v.WorkID), Title: v.Title, Creator: v.Creator, Kind: v.Kind, Language: v.Language})
	}
	return nil
}

// PATCH /api/v1/works/{id}/related/{child} {"state": "approved"|"rejected"}
func (a *server) answerRelated(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	parent, err := pathID(r, "id")
	if err != nil {
		return err
	}
	child, err := pathID(r, "child")
	if err != nil {
		return err
	}
	var b struct {
		State string `json:"state"`
	}
	if _, err := a.readJSON(w, r, &b); err != nil {
		return err
	}
	if err := a.site.AnswerRelated(r.Context(), u, parent, child, b.State); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"work_id": parent, "child": child, "state": b.State})
	return nil
}

// GET /api/v1/me/related_works → {"links": [{"work_id","child","title","creator","kind","state"}]}
func (a *server) myRelatedWorks(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	if err := requireUser(u); err != nil {
		return err
	}
	links, err := a.site.MyRelatedLinks(r.Context(), u)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(links))
	for _, l := range links {
		out = append(out, map[string]any{"work_id": l.ParentID, "child": l.Child.WorkID, "title": l.Child.Title,
			"creator": l.Child.Creator, "kind": l.Child.Kind, "state": l.State})
	}
	writeJSON(w, http.StatusOK, map[string]any{"links": out})
	return nil
}
