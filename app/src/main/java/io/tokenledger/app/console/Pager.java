package io.tokenledger.app.console;

import io.tokenledger.api.PageResult;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Where a console list stands: "page 2 of 5, 243 in all", with links to the pages either side that keep the
 * request's filters.
 *
 * @param number   the page shown, counted from 1
 * @param previous the previous page's link, or null on the first
 * @param next     the next page's link, or null on the last
 */
public record Pager(int number, int pages, long total, String previous, String next) {

    /** The pager of a page read for the current request; its page parameter is {@code page}, from 0. */
    static Pager of(PageResult<?> result) {
        int pages = (int) Math.max(1, (result.total() + result.size() - 1) / result.size());
        return new Pager(result.page() + 1, pages, result.total(),
                result.page() > 0 ? link(Math.min(result.page(), pages) - 1) : null,
                result.page() + 1 < pages ? link(result.page() + 1) : null);
    }

    private static String link(int page) {
        return ServletUriComponentsBuilder.fromCurrentRequest().scheme(null).host(null).port(null)
                .replaceQueryParam("page", page).build().toUriString();
    }
}
