package web

import (
	"net/http"

	"quire/internal/archive"
	"quire/internal/site"
)

// statsPage is a creator's statistics with a bar chart of the sorted metric.
type statsPage struct {
	Name   string
	Sort   string
	Sorts  []string
	Stats  *site.CreatorStats
	Bars   []statsBar
	Height int
}

// statsBar is one bar of the chart, laid out here (the CSP allows no inline
// style, and SVG attributes need no script).
type statsBar struct {
	Label string
	Value int64
	Y     int
	Width int
	TextY int
}

var statsSorts = []string{msg("hits"), msg("kudos"), msg("comments"), msg("bookmarks"), msg("subscriptions"), msg("words"), msg("title")}

func (srv *Server) stats(w http.ResponseWriter, r *http.Request, me *archive.User) error {
	u, err := srv.site.User(r.Context(), r.PathValue("name"))
	if err != nil || (u.ID != me.ID && !me.IsAdmin()) {
		return archive.ErrNotFound
	}
	sortBy := r.URL.Query().Get("sort")
	valid := false
	for _, s := range statsSorts {
		valid = valid || s == sortBy
	}
	if !valid {
		sortBy = "hits"
	}
	st, err := srv.site.Stats(r.Context(), u, sortBy)
	if err != nil {
		return err
	}
	p := &statsPage{Name: u.Name, Sort: sortBy, Sorts: statsSorts, Stats: st}
	metric := sortBy
	if metric == "title" {
		metric = "hits"
	}
	value := func(ws site.WorkStats) int64 {
		switch metric {
		case "kudos":
			return ws.Work.Kudos
		case "comments":
			return ws.Work.Comments
		case "bookmarks":
			return ws.Work.Bookmarks
		case "subscriptions":
			return int64(ws.Subscriptions)
		case "words":
			return int64(ws.Work.Words)
		}
		return ws.Work.Hits
	}
	var maxV int64 = 1
	for i, ws := range st.Works {
		if i == 10 {
			break
		}
		maxV = max(maxV, value(ws))
	}
	for i, ws := range st.Works {
		if i == 10 {
			break
		}
		v := value(ws)
		p.Bars = append(p.Bars, statsBar{Label: ws.Work.Title, Value: v, Y: i * 28, TextY: i*28 + 17, Width: int(400 * v / maxV)})
	}
	p.Height = len(p.Bars)*28 + 4
	srv.render(w, r, http.StatusOK, "stats", pageData{Title: "Statistics", P: p})
	return nil
}
