package listing

import (
	"os"
	"testing"
	"time"

	"quire/internal/archive"
)

func TestPhases(t *testing.T) {
	if os.Getenv("QUIRE_PHASES") == "" {
		t.Skip("set QUIRE_PHASES=1")
	}
	ix := benchIndex(&testing.B{})
	for _, q := range []Query{
		{Include: []TagRef{{Type: archive.TypeFandom, Name: "fandom 3"}}, Sort: "kudos"},
		{},
		{Include: []TagRef{{Name: "freeform 0"}}, Page: 500},
	} {
		for _, skip := range []bool{true, false} {
			q.SkipFacets = skip
			ix.Search(q, member)
			t0 := time.Now()
			for i := 0; i < 10; i++ {
				ix.Search(q, member)
			}
			t.Logf("skipFacets=%v %v per query", skip, time.Since(t0)/10)
		}
	}
}
