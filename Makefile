# Thin wrappers over scripts/: the scripts are what README.md and CI run.
.PHONY: demo test bench build clean

build:
	scripts/install-deps.sh
	swift build -c release --static-swift-stdlib

demo:
	scripts/demo.sh $(PHOTOS)

test:
	scripts/test.sh

bench:
	scripts/bench.sh

clean:
	rm -rf .build demo-data bench-data
