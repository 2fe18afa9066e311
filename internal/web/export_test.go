package web

import (
	"net/http"

	"quire/internal/site"
)

// patternList records the patterns routes registers.
type patternList []string

func (p *patternList) Handle(pattern string, _ http.Handler) { *p = append(*p, pattern) }
func (p *patternList) HandleFunc(pattern string, _ func(http.ResponseWriter, *http.Request)) {
	*p = append(*p, pattern)
}

// Patterns lists every route pattern the pages register ("GET /admin/log"),
// for the test that checks every staff page's gate.
func Patterns(s *site.Site) []string {
	var p patternList
	(&Server{site: s}).routes(&p)
	return p
}
