# read only when a configure line sets SDL_USE_EXTRA_MODULE
set(SDL_EXTRA_LINK_FLAGS "-sINITIAL_MEMORY=64MB")
set(SDLTEST_TIMEOUT 30)
