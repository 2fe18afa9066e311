package api

import (
	"sort"

	"quire/internal/site"
)

// Endpoints lists every method and path the API serves ("GET
// /api/v1/admin/log"), for the test that checks every admin endpoint's
// gate.
func Endpoints(s *site.Site) []string {
	var out []string
	for _, rt := range (&server{site: s}).table() {
		for m := range rt.methods {
			out = append(out, m+" "+rt.path)
		}
	}
	sort.Strings(out)
	return out
}
