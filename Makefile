# The two commands README opens with. Each sets up everything it needs on a fresh machine.
.PHONY: run test bench
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh
bench:
	bash bench/run.sh
