# Modelled on squoosh codecs/mozjpeg/Makefile: one pattern rule, web and node builds.
CODEC_DIR = node_modules/mozjpeg
ENVIRONMENT = web

enc/mozjpeg_node_enc.js dec/mozjpeg_node_dec.js: ENVIRONMENT = node

enc/%.js dec/%.js: src/%.cpp $(CODEC_DIR)/libjpeg.a
	$(CXX) \
		-O3 \
		-s ALLOW_MEMORY_GROWTH=1 \
		-s MODULARIZE=1 \
		-s ENVIRONMENT=$(ENVIRONMENT) \
		-s 'EXPORT_NAME="$(basename $(@F))"' \
		-o $@ \
		$+

CXX = em++
