# Thin wrappers over scripts/: the scripts are what README.md and CI run.
.PHONY: demo test bench fuzz build clean

build:
	scripts/install-deps.sh
	swift build -c release --static-swift-stdlib

demo:
	scripts/demo.sh $(PHOTOS)

test:
	scripts/test.sh

bench:
	scripts/bench.sh

# libFuzzer over the container walkers and the libexif bridge; FUZZ_SECONDS per target (default 900).
fuzz:
	scripts/fuzz.sh all

clean:
	rm -rf .build demo-data bench-data
