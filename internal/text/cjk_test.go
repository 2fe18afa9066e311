package text

import "testing"

func TestSpaceCJK(t *testing.T) {
	for in, want := range map[string]string{
		"plain words": "plain words",
		"魔法少女":        " 魔 法 少 女",
		"Harry与魔法石":   "Harry 与 魔 法 石",
		"ひらがなとカタカナ":   " ひ ら が な と カ タ カ ナ",
		"한국어 text":    " 한 국 어  text",
		"":            "",
	} {
		if got := SpaceCJK(in); got != want {
			t.Errorf("SpaceCJK(%q) = %q, want %q", in, got, want)
		}
	}
	if n := testing.AllocsPerRun(10, func() { SpaceCJK("no ideographs here") }); n != 0 {
		t.Errorf("allocates %v times on Latin text", n)
	}
}

func FuzzSpaceCJK(f *testing.F) {
	f.Add("魔法少女 and words")
	f.Fuzz(func(t *testing.T, s string) {
		out := SpaceCJK(s)
		if len(out) < len(s) {
			t.Fatalf("lost text: %q → %q", s, out)
		}
	})
}
