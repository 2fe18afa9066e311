package api

import (
	"net/http"

	"quire/internal/archive"
	"quire/internal/listing"
	"quire/internal/site"
)

// listingJSON is the listing response.
type listingJSON struct {
	Total   int                        `json:"total"`
	Page    int                        `json:"page"`
	PerPage int                        `json:"per_page"`
	Works   []*workJSON                `json:"works"`
	Facets  map[string][]listing.Facet `json:"facets"`
}

// GET /api/v1/works
func (a *server) listWorks(w http.ResponseWriter, r *http.Request, u *archive.User) error {
	v := r.URL.Query()
	q, err := listing.ParseValues(v)
	if err != nil {
		return err
	}
	l, err := a.site.Search(r.Context(), u, q, v.Get("q"))
	if err != nil {
		return err
	}
	return a.writeListing(w, r, u, l)
}

// writeListing writes a listing's page with its facets.
func (a *server) writeListing(w http.ResponseWriter, r *http.Request, u *archive.User, l *site.Listing) error {
	out := listingJSON{Total: l.Total, Page: l.Page, PerPage: l.PerPage, Works: make([]*workJSON, 0, len(l.Works)), Facets: map[string][]listing.Facet{}}
	for _, work := range l.Works {
		out.Works = append(out.Works, a.work(u, work))
	}
	if err := a.fillSeries(r.Context(), out.Works...); err != nil {
		return err
	}
	for _, t := range listing.FacetTypes {
		f := l.Facets[t]
		if f == nil {
			f = []listing.Facet{}
		}
		out.Facets[string(t)] = f
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
