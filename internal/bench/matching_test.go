package bench

import "testing"

// The generated exchange matches fully checked against the reference
// (the command's numbers at scale come from the same code).
func TestMatchingBench(t *testing.T) {
	rep, err := Matching(MatchingOptions{Signups: 2000, Seed: 3, Reference: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Edges == 0 || rep.Matched == 0 || rep.Matched != rep.ReferenceMaximum || rep.Requests < 3*2000 || rep.Offers > 6*2000 {
		t.Fatalf("report %+v", rep)
	}
}

func BenchmarkMatchingBuild(b *testing.B) {
	for range b.N {
		if _, err := Matching(MatchingOptions{Signups: 20000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
