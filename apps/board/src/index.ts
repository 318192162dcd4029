export { startBoard, type RunningBoard, type BoardOptions } from './start-board';
export { startBoardService } from './board-service';
export { boardTenants, type BoardTenant } from './board-tenant';
export { BoardError } from './board-error';
export { BOARD_ERROR_CODES, type BoardErrorCode } from './error-codes';
export { BOARD_SECTIONS, type BoardConfig } from './board-sections';
export { createQueueMetrics } from './queue-metrics';
